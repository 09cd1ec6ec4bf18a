import { int, type ConfigOf } from '@jobstream/platform/config';
import { KafkaConfigSpec } from '@jobstream/messaging/messaging.config';
import { platformConfigSpec } from '@jobstream/platform/platform.config';
import { ApplicationsIngestConfigSpec } from './applications/applications.config';
import { AuthConfigSpec } from './auth/auth.config';
import { mongoConfigSpec } from '@jobstream/platform/mongo.config';
import { RedisConfigSpec } from '@jobstream/platform/redis.config';
import { RateLimitConfigSpec } from './rate-limit/rate-limit.config';

export const IngestConfigSpec = {
  ...platformConfigSpec(3000),
  ...KafkaConfigSpec,
  ...ApplicationsIngestConfigSpec,
  ...AuthConfigSpec,
  // The command side's own registry of postings (ids, revisions, states): see README, architecture.
  ...mongoConfigSpec('jobstream_ingest'),
  // Public routes (engagement, contributions) are rate-limited per client in Redis, shared by replicas.
  ...RedisConfigSpec,
  ...RateLimitConfigSpec,
  POSTING_EXPIRY_SWEEP_MS: int({ description: 'How often ingest looks for postings past expiresAt (0 disables the sweep)', default: 30000, min: 0 }),
  INGEST_RETRY_AFTER_SECONDS: int({ description: 'Retry-After sent with a 503 when the broker is unavailable', default: 5, min: 1, max: 3600 }),
};
export type IngestConfig = ConfigOf<typeof IngestConfigSpec>;
