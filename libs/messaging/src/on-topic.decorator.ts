import { SetMetadata } from '@nestjs/common';
import type { TopicName } from '@jobstream/contracts';

export const ON_TOPIC = Symbol('jobstream:on-topic');

export interface OnTopicMeta {
  topic: TopicName;
  /**
   * Set for a second projection of the same events in the same service: its handlers run in their
   * own consumer group `<KAFKA_GROUP_ID>-<group>` (own offsets, own dlq.<group>), so one projection
   * falling behind or being rebuilt never holds the other back.
   */
  group?: string;
}

/**
 * Marks a provider method as the batch handler of a topic for this service's consumer group
 * (or for its `group` projection). The method receives validated events in partition order and
 * must be idempotent.
 */
export const OnTopic = (topic: TopicName, options: { group?: string } = {}) => SetMetadata(ON_TOPIC, { topic, group: options.group } satisfies OnTopicMeta);
