import { int, list, type ConfigOf } from '@jobstream/platform/config';
import { KafkaConfigSpec } from '@jobstream/messaging/messaging.config';

export const OpsConfigSpec = {
  ...KafkaConfigSpec,
  KAFKA_REPLICATION_FACTOR: int({ description: 'Replication factor of provisioned topics (3 in production clusters)', default: 1, min: 1, max: 10 }),
  KAFKA_DLQ_GROUPS: list({
    description: 'Consumer groups whose dead-letter topics are provisioned up front',
    default: ['listings', 'listings-applications', 'analytics', 'notifier'],
    itemPattern: /^[A-Za-z0-9._-]{1,200}$/,
    hint: 'a consumer group id',
  }),
};
export type OpsConfig = ConfigOf<typeof OpsConfigSpec>;
