import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import type { Request } from 'express';
import type { Logger } from 'pino';
import { RateLimitGuard } from '@jobstream/platform/rate-limit.guard';
import { ROOT_LOGGER } from '@jobstream/platform/logger';
import type { Principal } from '@jobstream/platform/auth/api-keys.util';
import { QUEUE_REDIS, type NotifierConfig } from '../queues/queue.tokens';
import { APP_CONFIG } from '@jobstream/platform/platform.module';

/**
 * A budget per API key (after authentication, so it is the key's, not the address's). A key
 * scripting redeliveries can't flood the queue or Redis; replicas share it through Redis.
 */
@Injectable()
export class WebhookRateLimitGuard extends RateLimitGuard {
  constructor(@Inject(QUEUE_REDIS) redis: Redis, @Inject(APP_CONFIG) config: NotifierConfig, @Inject(ROOT_LOGGER) logger: Logger) {
    super(redis, { limit: config.WEBHOOK_API_RATE_LIMIT, windowMs: 60_000, prefix: `${config.NOTIFIER_QUEUE_PREFIX}:webhooks:ratelimit:` }, logger, 'webhook-rate-limit');
  }

  protected override clientOf(req: Request & { principal?: Principal }): string {
    return req.principal?.keyId ?? super.clientOf(req);
  }

  protected tooMany(retryAfterSeconds: number): Error {
    return new HttpException({ statusCode: 429, error: 'Too Many Requests', message: `Rate limit exceeded; retry after ${retryAfterSeconds} s` }, HttpStatus.TOO_MANY_REQUESTS);
  }
}
