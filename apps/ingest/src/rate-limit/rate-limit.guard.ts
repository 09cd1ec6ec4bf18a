import { HttpException, HttpStatus, Inject, Injectable, SetMetadata, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type Redis from 'ioredis';
import type { Request } from 'express';
import type { Logger } from 'pino';
import { APP_CONFIG, REDIS, ROOT_LOGGER } from '@jobstream/platform';
import { RateLimitGuard } from '@jobstream/platform/rate-limit.guard';
import type { ConfigOf } from '@jobstream/platform/config';
import type { RateLimitConfigSpec } from './rate-limit.config';

type RateLimitConfig = ConfigOf<typeof RateLimitConfigSpec>;

/** How many budget units a request costs; the batch beacon costs one per item. */
export const RATE_COST = Symbol('jobstream:rate-cost');
export type RateCost = (req: Request) => number;
export const RateCostOf = (cost: RateCost) => SetMetadata(RATE_COST, cost);

export class TooManyRequestsException extends HttpException {
  constructor(retryAfterSeconds: number) {
    super(
      { statusCode: 429, error: 'Too Many Requests', message: `Rate limit exceeded; retry after ${retryAfterSeconds} s` },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}

/**
 * Per-client limit for the public routes, shared by ingest replicas through Redis (see
 * SharedRateLimiter). Redis is never on a request's path: the limiter protects capacity and must
 * not take the public write path down with Redis.
 */
@Injectable()
export class PublicRateLimitGuard extends RateLimitGuard {
  constructor(
    @Inject(REDIS) redis: Redis,
    @Inject(APP_CONFIG) config: RateLimitConfig,
    @Inject(ROOT_LOGGER) logger: Logger,
    private readonly reflector: Reflector,
  ) {
    super(redis, { limit: config.INGEST_PUBLIC_RATE_LIMIT, windowMs: config.INGEST_PUBLIC_RATE_WINDOW_SECONDS * 1000, prefix: config.INGEST_RATE_LIMIT_KEY_PREFIX }, logger, 'rate-limit');
  }

  protected override costOf(req: Request, context: ExecutionContext): number {
    const costOf = this.reflector.get<RateCost | undefined>(RATE_COST, context.getHandler());
    return Math.max(1, costOf ? costOf(req) : 1);
  }

  protected tooMany(retryAfterSeconds: number): Error {
    return new TooManyRequestsException(retryAfterSeconds);
  }
}
