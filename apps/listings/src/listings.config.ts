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
  // The search projection consumes as its own broker principal (`search`), so the ACLs can keep it
  // off the restricted topics listings reads; unset, it shares the listings login.
  KAFKA_SEARCH_SASL_USERNAME: str({ description: 'Kafka principal of the search projection consumer (empty: it uses KAFKA_SASL_USERNAME)', default: '', pattern: /^[A-Za-z0-9._-]{1,100}$/, hint: 'letters, digits, dot, dash or underscore' }),
  KAFKA_SEARCH_SASL_PASSWORD: str({ description: 'Its SCRAM password (or give KAFKA_SEARCH_SASL_PASSWORD_FILE)', default: '', secret: true }),
  KAFKA_SEARCH_SASL_PASSWORD_FILE: str({ description: 'A file holding that password (trailing newline ignored)', default: '' }),
  LISTINGS_PUBLIC_URL: str({ description: 'Base URL of the public read API, used in JSON-LD links', default: 'http://127.0.0.1:3001', pattern: /^https?:\/\/[^\s]+[^/]$/, hint: 'an http(s) URL without a trailing slash' }),
};
export type ListingsConfig = ConfigOf<typeof ListingsConfigSpec>;
