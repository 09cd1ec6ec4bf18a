import { int, str } from '@jobstream/platform/config';

/** Limits of the public (no API key) routes: engagement beacons and contributions. */
export const RateLimitConfigSpec = {
  INGEST_PUBLIC_RATE_LIMIT: int({
    description: 'Public requests (engagement items count one each) a client may make per window; more get 429 with Retry-After',
    default: 600,
    min: 1,
  }),
  INGEST_PUBLIC_RATE_WINDOW_SECONDS: int({ description: 'Length of the public rate-limit window', default: 60, min: 1, max: 86400 }),
  INGEST_RATE_LIMIT_KEY_PREFIX: str({
    description: 'Prefix of the Redis keys the rate limiter counts in (shared by all ingest replicas)',
    default: 'ratelimit:ingest:',
    pattern: /^[A-Za-z0-9:._-]{1,100}$/,
    hint: 'letters, digits, colon, dot, dash or underscore',
  }),
};
