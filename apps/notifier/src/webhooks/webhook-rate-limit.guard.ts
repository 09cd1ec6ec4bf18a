import { HttpException, HttpStatus, Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type Redis from 'ioredis';
import type { Request, Response } from 'express';
import { RedisRateLimiter } from '@jobstream/platform/rate-limit';
import type { Principal } from '@jobstream/platform/auth/api-keys.util';
import { QUEUE_REDIS, type NotifierConfig } from '../queues/queue.tokens';
import { APP_CONFIG } from '@jobstream/platform/platform.module';

/**
 * A budget per API key (after authentication, so it is the key's, not the address's). A key
 * scripting redeliveries can't flood the queue or Redis; Redis counts, so replicas share it.
 */
@Injectable()
export class WebhookRateLimitGuard implements CanActivate {
  private readonly limiter: RedisRateLimiter;

  constructor(@Inject(QUEUE_REDIS) redis: Redis, @Inject(APP_CONFIG) config: NotifierConfig) {
    this.limiter = new RedisRateLimiter(redis, { limit: config.WEBHOOK_API_RATE_LIMIT, windowMs: 60_000, prefix: `${config.NOTIFIER_QUEUE_PREFIX}:webhooks:ratelimit:` });
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request & { principal?: Principal }>();
    const res = context.switchToHttp().getResponse<Response>();
    const decision = await this.limiter.consume(req.principal?.keyId ?? req.ip ?? 'unknown');
    res.setHeader('RateLimit-Remaining', String(decision.remaining));
    if (decision.allowed) return true;
    res.setHeader('Retry-After', String(decision.retryAfterSeconds));
    throw new HttpException({ statusCode: 429, error: 'Too Many Requests', message: `Rate limit exceeded; retry after ${decision.retryAfterSeconds} s` }, HttpStatus.TOO_MANY_REQUESTS);
  }
}
