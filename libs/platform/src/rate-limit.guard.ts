import type { CanActivate, ExecutionContext, OnModuleDestroy } from '@nestjs/common';
import type Redis from 'ioredis';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { SharedRateLimiter, type SharedRateLimiterOptions } from './rate-limit';
import { rateLimitClientKey } from './client-address';

/**
 * A route's per-client budget (see SharedRateLimiter): counts the request, sets RateLimit-Remaining,
 * refuses with the route's 429 and Retry-After, and sends its last counts on shutdown. Subclasses
 * say who the client is, what a request costs and what the 429 says.
 */
export abstract class RateLimitGuard implements CanActivate, OnModuleDestroy {
  private readonly limiter: SharedRateLimiter;

  protected constructor(redis: Redis, options: Omit<SharedRateLimiterOptions, 'onSyncError'>, logger: Logger, component: string) {
    this.limiter = new SharedRateLimiter(redis, {
      ...options,
      onSyncError: (err) => {
        if (err) logger.warn({ component, err }, 'rate limiter cannot reach Redis; each replica limits on its own counts until it can');
        else logger.info({ component }, 'rate limiter reaches Redis again');
      },
    });
  }

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    const decision = this.limiter.consume(this.clientOf(req), this.costOf(req, context));
    const res = context.switchToHttp().getResponse<Response>();
    res.setHeader('RateLimit-Remaining', String(decision.remaining));
    if (decision.allowed) return true;
    res.setHeader('Retry-After', String(decision.retryAfterSeconds));
    throw this.tooMany(decision.retryAfterSeconds);
  }

  onModuleDestroy(): Promise<void> {
    return this.limiter.close();
  }

  /** The caller's address, an IPv6 one by its /64 (see rateLimitClientKey); behind a proxy set Express' trust proxy so req.ip is the caller's. */
  protected clientOf(req: Request): string {
    return rateLimitClientKey(req.ip ?? req.socket.remoteAddress ?? 'unknown');
  }

  protected costOf(_req: Request, _context: ExecutionContext): number {
    return 1;
  }

  protected abstract tooMany(retryAfterSeconds: number): Error;
}
