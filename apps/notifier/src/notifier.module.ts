import { Module, type DynamicModule } from '@nestjs/common';
import type Redis from 'ioredis';
import type { Logger } from 'pino';
import { BrokerMonitor, MessagingModule, kafkaReadiness } from '@jobstream/messaging';
import { HealthModule, PlatformModule, REDIS, RedisModule, redisInfo, withDeadline } from '@jobstream/platform';
import type { NotifierConfig } from './notifier.config';
import { smtpGreeting } from './smtp.health';

@Module({})
export class NotifierModule {
  static forRoot(config: NotifierConfig, logger: Logger): DynamicModule {
    return {
      module: NotifierModule,
      imports: [
        PlatformModule.forRoot({ config, logger }),
        RedisModule.forRoot(config.REDIS_URL),
        MessagingModule.forRoot({ service: 'notifier', kafka: config, consumer: config }),
        HealthModule.forRoot({
          inject: [BrokerMonitor, REDIS],
          useFactory: (monitor: BrokerMonitor, redis: Redis) => [
            kafkaReadiness(monitor),
            withDeadline('redis', 3000, () => redisInfo(redis)),
            withDeadline('smtp', 3000, () => smtpGreeting(config.SMTP_URL)),
          ],
        }),
      ],
    };
  }
}
