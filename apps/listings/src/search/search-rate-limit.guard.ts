import { HttpException, HttpStatus, Inject, Injectable, type CanActivate, type ExecutionContext, type OnModuleDestroy } from '@nestjs/common';
import type Redis from 'ioredis';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { APP_CONFIG, REDIS, ROOT_LOGGER } from '@jobstream/platform';
import { SharedRateLimiter, enforce, logSyncErrors } from '@jobstream/platform/rate-limit';
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
export class SearchRateLimitGuard implements CanActivate, OnModuleDestroy {
  private readonly limiter: SharedRateLimiter;

  constructor(
    @Inject(REDIS) redis: Redis,
    @Inject(APP_CONFIG) config: ConfigOf<typeof SearchConfigSpec>,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.limiter = new SharedRateLimiter(redis, {
      limit: config.SEARCH_RATE_LIMIT,
      windowMs: config.SEARCH_RATE_WINDOW_SECONDS * 1000,
      prefix: config.SEARCH_RATE_LIMIT_KEY_PREFIX,
      onSyncError: logSyncErrors(logger, 'search-rate-limit'),
    });
  }

  canActivate(context: ExecutionContext): boolean {
    // Behind a proxy set Express' trust proxy so req.ip is the caller's.
    const req = context.switchToHttp().getRequest<Request>();
    enforce(this.limiter.consume(req.ip ?? req.socket.remoteAddress ?? 'unknown'), context.switchToHttp().getResponse<Response>(), (s) => new TooManySearchesException(s));
    return true;
  }

  onModuleDestroy(): Promise<void> {
    return this.limiter.close();
  }
}
