import { Global, Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type Redis from 'ioredis';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from './logger';
import { createRedis } from './redis';

export const REDIS = Symbol('jobstream:redis');

@Injectable()
class RedisCloser implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  /** Databases close last, after consumers and queues drained. */
  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

@Global()
@Module({})
export class RedisModule {
  static forRoot(url: string): DynamicModule {
    return {
      module: RedisModule,
      providers: [{ provide: REDIS, inject: [ROOT_LOGGER], useFactory: (logger: Logger) => createRedis(url, logger) }, RedisCloser],
      exports: [REDIS],
    };
  }
}
