import { SetMetadata } from '@nestjs/common';
import type { TopicName } from '@jobstream/contracts';

export const ON_TOPIC = Symbol('jobstream:on-topic');

/**
 * Marks a provider method as the batch handler of a topic for this service's consumer group.
 * The method receives validated events in partition order and must be idempotent.
 */
export const OnTopic = (topic: TopicName) => SetMetadata(ON_TOPIC, topic);
