import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import type { Logger } from 'pino';
import { APP_CONFIG, REDIS, ROOT_LOGGER } from '@jobstream/platform';
import { RateLimitGuard } from '@jobstream/platform/rate-limit.guard';
import type { ConfigOf } from '@jobstream/platform/config';
import type { SearchConfigSpec } from './search.config';

class TooManySearchesException extends HttpException {
  constructor(retryAfterSeconds: number) {
    super({ statusCode: 429, error: 'Too Many Requests', message: `Search rate limit exceeded; retry after ${retryAfterSeconds} s` }, HttpStatus.TOO_MANY_REQUESTS);
  }
}

/**
 * Per-client budget of public searches, shared by listings replicas through Redis (see
 * SharedRateLimiter): a search costs the engine real CPU, and anonymous clients could otherwise
 * saturate it. Redis is never on a search's path, so Redis down doesn't take search down.
 */
@Injectable()
export class SearchRateLimitGuard extends RateLimitGuard {
  constructor(@Inject(REDIS) redis: Redis, @Inject(APP_CONFIG) config: ConfigOf<typeof SearchConfigSpec>, @Inject(ROOT_LOGGER) logger: Logger) {
    super(redis, { limit: config.SEARCH_RATE_LIMIT, windowMs: config.SEARCH_RATE_WINDOW_SECONDS * 1000, prefix: config.SEARCH_RATE_LIMIT_KEY_PREFIX }, logger, 'search-rate-limit');
  }

  protected tooMany(retryAfterSeconds: number): Error {
    return new TooManySearchesException(retryAfterSeconds);
  }
}
