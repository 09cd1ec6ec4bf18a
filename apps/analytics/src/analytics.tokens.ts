import type { Provider } from '@nestjs/common';
import { APP_CONFIG } from '@jobstream/platform';
import type { AnalyticsConfig } from './analytics.config';
import { RedisKeys } from './redis-keys';

export const REDIS_KEYS = Symbol('analytics:redis-keys');

/** One RedisKeys for the app, from the configured prefix. */
export const redisKeysProvider: Provider = {
  provide: REDIS_KEYS,
  inject: [APP_CONFIG],
  useFactory: (config: AnalyticsConfig) => new RedisKeys(config.ANALYTICS_REDIS_PREFIX),
};
