import { HttpException, HttpStatus, Inject, Injectable, SetMetadata, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type Redis from 'ioredis';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { APP_CONFIG, REDIS, ROOT_LOGGER } from '@jobstream/platform';
import { RedisRateLimiter } from '@jobstream/platform/rate-limit';
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

/** Per-client limit for the public routes, counted in Redis so it holds across replicas. */
@Injectable()
export class PublicRateLimitGuard implements CanActivate {
  private readonly limiter: RedisRateLimiter;
  private readonly timeoutMs: number;

  constructor(
    @Inject(REDIS) redis: Redis,
    @Inject(APP_CONFIG) config: RateLimitConfig,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    private readonly reflector: Reflector,
  ) {
    this.limiter = new RedisRateLimiter(redis, {
      limit: config.INGEST_PUBLIC_RATE_LIMIT,
      windowMs: config.INGEST_PUBLIC_RATE_WINDOW_SECONDS * 1000,
      prefix: config.INGEST_RATE_LIMIT_KEY_PREFIX,
    });
    this.timeoutMs = config.INGEST_RATE_LIMIT_TIMEOUT_MS;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request>();
    const res = context.switchToHttp().getResponse<Response>();
    const costOf = this.reflector.get<RateCost | undefined>(RATE_COST, context.getHandler());
    const cost = Math.max(1, costOf ? costOf(req) : 1);
    // Clients are told apart by address; behind a proxy set Express' trust proxy so req.ip is the caller's.
    const client = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    let timer: NodeJS.Timeout | undefined;
    try {
      const decision = await Promise.race([
        this.limiter.consume(client, cost),
        new Promise<undefined>((resolve) => {
          timer = setTimeout(() => resolve(undefined), this.timeoutMs);
        }),
      ]);
      // The limiter protects capacity; it must not take the public write path down with Redis.
      if (!decision) {
        this.logger.warn({ component: 'rate-limit' }, 'rate limiter did not answer in time; request let through');
        return true;
      }
      res.setHeader('RateLimit-Remaining', String(decision.remaining));
      if (!decision.allowed) {
        res.setHeader('Retry-After', String(decision.retryAfterSeconds));
        throw new TooManyRequestsException(decision.retryAfterSeconds);
      }
      return true;
    } catch (err) {
      if (err instanceof TooManyRequestsException) throw err;
      this.logger.warn({ component: 'rate-limit', err }, 'rate limiter failed; request let through');
      return true;
    } finally {
      clearTimeout(timer);
    }
  }
}
