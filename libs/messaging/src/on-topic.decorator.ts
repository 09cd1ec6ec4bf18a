import { SetMetadata } from '@nestjs/common';
import type { TopicName } from '@jobstream/contracts';

export const ON_TOPIC = Symbol('jobstream:on-topic');

export interface OnTopicOptions {
  /**
   * Runs the handler in a consumer group of its own, `<KAFKA_GROUP_ID>-<consumer>`, with its own
   * dead-letter topic. Work that must not wait behind another's backlog gets its own group: a
   * fetch hands a consumer's handlers their batches together and fetches again only when all are
   * done, so one slow topic holds up every other topic of its group.
   */
  consumer?: string;
}

export interface OnTopicMetadata {
  topic: TopicName;
  consumer?: string;
}

/**
 * Marks a provider method as the batch handler of a topic for this service's consumer group (or
 * the named consumer's group). The method receives validated events in partition order and must
 * be idempotent.
 */
export const OnTopic = (topic: TopicName, options: OnTopicOptions = {}) => SetMetadata(ON_TOPIC, { topic, consumer: options.consumer } satisfies OnTopicMetadata);

/** The consumer group id of a named consumer of a service whose group is `baseGroupId`. */
export function consumerGroupId(baseGroupId: string, consumer?: string): string {
  return consumer ? `${baseGroupId}-${consumer}` : baseGroupId;
}
