import { int, str, type ConfigOf } from '@jobstream/platform/config';
import { KafkaConfigSpec } from '@jobstream/messaging/messaging.config';
import { platformConfigSpec } from '@jobstream/platform/platform.config';
import { ApplicationsIngestConfigSpec } from './applications/applications.config';
import { AuthConfigSpec } from '@jobstream/platform/auth/auth.config';
import { RedisConfigSpec } from '@jobstream/platform/redis.config';
import { RateLimitConfigSpec } from './rate-limit/rate-limit.config';

export const IngestConfigSpec = {
  ...platformConfigSpec(3000),
  ...KafkaConfigSpec,
  ...ApplicationsIngestConfigSpec,
  ...AuthConfigSpec,
  // Public routes (engagement, contributions) are rate-limited per client in Redis, shared by replicas.
  ...RedisConfigSpec,
  ...RateLimitConfigSpec,
  // The command side's registry of postings (ids, revisions, states) in Redis: see README, architecture.
  INGEST_REGISTRY_PREFIX: str({ description: 'Prefix of the posting registry keys in Redis', default: 'ingest:registry:', pattern: /^[A-Za-z0-9:_.-]{1,64}$/, hint: 'letters, digits and :_.-' }),
  POSTING_EXPIRY_SWEEP_MS: int({ description: 'How often ingest looks for postings past expiresAt (0 disables the sweep)', default: 30000, min: 0 }),
  INGEST_RETRY_AFTER_SECONDS: int({ description: 'Retry-After sent with a 503 when the broker is unavailable', default: 5, min: 1, max: 3600 }),
};
export type IngestConfig = ConfigOf<typeof IngestConfigSpec>;
