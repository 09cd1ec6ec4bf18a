import { HttpException, HttpStatus, Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type Redis from 'ioredis';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { APP_CONFIG, REDIS, ROOT_LOGGER } from '@jobstream/platform';
import { RedisRateLimiter } from '@jobstream/platform/rate-limit';
import type { ConfigOf } from '@jobstream/platform/config';
import type { SearchConfigSpec } from './search.config';

/** How long a search waits for the limiter before it is let through (Redis down must not take search down). */
const LIMITER_TIMEOUT_MS = 200;

class TooManySearchesException extends HttpException {
  constructor(retryAfterSeconds: number) {
    super({ statusCode: 429, error: 'Too Many Requests', message: `Search rate limit exceeded; retry after ${retryAfterSeconds} s` }, HttpStatus.TOO_MANY_REQUESTS);
  }
}

/**
 * Per-client budget of public searches, counted in Redis so it holds across listings replicas:
 * a search costs the engine real CPU, and anonymous clients could otherwise saturate it.
 */
@Injectable()
export class SearchRateLimitGuard implements CanActivate {
  private readonly limiter: RedisRateLimiter;

  constructor(
    @Inject(REDIS) redis: Redis,
    @Inject(APP_CONFIG) config: ConfigOf<typeof SearchConfigSpec>,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {
    this.limiter = new RedisRateLimiter(redis, { limit: config.SEARCH_RATE_LIMIT, windowMs: config.SEARCH_RATE_WINDOW_SECONDS * 1000, prefix: config.SEARCH_RATE_LIMIT_KEY_PREFIX });
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request>();
    const res = context.switchToHttp().getResponse<Response>();
    // Behind a proxy set Express' trust proxy so req.ip is the caller's.
    const client = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    let timer: NodeJS.Timeout | undefined;
    try {
      const decision = await Promise.race([
        this.limiter.consume(client),
        new Promise<undefined>((resolve) => {
          timer = setTimeout(() => resolve(undefined), LIMITER_TIMEOUT_MS);
        }),
      ]);
      if (!decision) {
        this.logger.warn({ component: 'search-rate-limit' }, 'rate limiter did not answer in time; search let through');
        return true;
      }
      res.setHeader('RateLimit-Remaining', String(decision.remaining));
      if (!decision.allowed) {
        res.setHeader('Retry-After', String(decision.retryAfterSeconds));
        throw new TooManySearchesException(decision.retryAfterSeconds);
      }
      return true;
    } catch (err) {
      if (err instanceof TooManySearchesException) throw err;
      this.logger.warn({ component: 'search-rate-limit', err }, 'rate limiter failed; search let through');
      return true;
    } finally {
      clearTimeout(timer);
    }
  }
}
