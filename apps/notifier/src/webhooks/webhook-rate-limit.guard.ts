import { HttpException, HttpStatus, Inject, Injectable, type CanActivate, type ExecutionContext, type OnModuleDestroy } from '@nestjs/common';
import type Redis from 'ioredis';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { SharedRateLimiter, enforce, logSyncErrors } from '@jobstream/platform/rate-limit';
import { ROOT_LOGGER } from '@jobstream/platform/logger';
import type { Principal } from '@jobstream/platform/auth/api-keys.util';
import { QUEUE_REDIS, type NotifierConfig } from '../queues/queue.tokens';
import { APP_CONFIG } from '@jobstream/platform/platform.module';

/**
 * A budget per API key (after authentication, so it is the key's, not the address's). A key
 * scripting redeliveries can't flood the queue or Redis; replicas share it through Redis.
 */
@Injectable()
export class WebhookRateLimitGuard implements CanActivate, OnModuleDestroy {
  private readonly limiter: SharedRateLimiter;

  constructor(@Inject(QUEUE_REDIS) redis: Redis, @Inject(APP_CONFIG) config: NotifierConfig, @Inject(ROOT_LOGGER) logger: Logger) {
    this.limiter = new SharedRateLimiter(redis, {
      limit: config.WEBHOOK_API_RATE_LIMIT,
      windowMs: 60_000,
      prefix: `${config.NOTIFIER_QUEUE_PREFIX}:webhooks:ratelimit:`,
      onSyncError: logSyncErrors(logger, 'webhook-rate-limit'),
    });
  }

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request & { principal?: Principal }>();
    const decision = this.limiter.consume(req.principal?.keyId ?? req.ip ?? 'unknown');
    enforce(decision, context.switchToHttp().getResponse<Response>(), (s) => new HttpException({ statusCode: 429, error: 'Too Many Requests', message: `Rate limit exceeded; retry after ${s} s` }, HttpStatus.TOO_MANY_REQUESTS));
    return true;
  }

  onModuleDestroy(): Promise<void> {
    return this.limiter.close();
  }
}
