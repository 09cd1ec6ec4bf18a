import { str, type ConfigOf } from '@jobstream/platform/config';
import { mongoConfigSpec } from '@jobstream/platform/mongo.config';
import { ConsumerConfigSpec, KafkaConfigSpec } from '@jobstream/messaging/messaging.config';
import { platformConfigSpec } from '@jobstream/platform/platform.config';
import { RedisConfigSpec } from '@jobstream/platform/redis.config';
import { SearchConfigSpec } from './search/search.config';

export const ListingsConfigSpec = {
  ...platformConfigSpec(3001),
  ...KafkaConfigSpec,
  ...ConsumerConfigSpec,
  KAFKA_GROUP_ID: { ...ConsumerConfigSpec.KAFKA_GROUP_ID, default: 'listings' },
  ...mongoConfigSpec('jobstream_listings'),
  ...RedisConfigSpec,
  ...SearchConfigSpec,
  LISTINGS_PUBLIC_URL: str({ description: 'Base URL of the public read API, used in JSON-LD links', default: 'http://127.0.0.1:3001', pattern: /^https?:\/\/[^\s]+[^/]$/, hint: 'an http(s) URL without a trailing slash' }),
};
export type ListingsConfig = ConfigOf<typeof ListingsConfigSpec>;
