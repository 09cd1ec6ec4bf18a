import type { ConfigOf } from '@jobstream/platform/config';
import { mongoConfigSpec } from '@jobstream/platform/mongo.config';
import { ConsumerConfigSpec, KafkaConfigSpec } from '@jobstream/messaging/messaging.config';
import { platformConfigSpec } from '@jobstream/platform/platform.config';

export const ListingsConfigSpec = {
  ...platformConfigSpec(3001),
  ...KafkaConfigSpec,
  ...ConsumerConfigSpec,
  KAFKA_GROUP_ID: { ...ConsumerConfigSpec.KAFKA_GROUP_ID, default: 'listings' },
  ...mongoConfigSpec('jobstream_listings'),
};
export type ListingsConfig = ConfigOf<typeof ListingsConfigSpec>;
