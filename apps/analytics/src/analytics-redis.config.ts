import { int, str } from '@jobstream/platform/config';

/** Where analytics keeps its Redis state (counters, sets, trending, catalog, dirty marks). */
export const AnalyticsRedisConfigSpec = {
  ANALYTICS_REDIS_PREFIX: str({
    description: 'Prefix of every Redis key analytics writes (lets several deployments or test runs share one Redis)',
    default: 'analytics:',
    pattern: /^[A-Za-z0-9:._-]{1,100}$/,
    hint: 'letters, digits, colon, dot, dash or underscore',
  }),
  ANALYTICS_DEDUPE_TTL_SECONDS: int({
    description: 'How long an applied engagement event id is remembered to skip redeliveries and replays; keep it above the engagement topic retention',
    default: 14 * 24 * 3600,
    min: 60,
  }),
};
