import { Module, type DynamicModule } from '@nestjs/common';
import type Redis from 'ioredis';
import type { Logger } from 'pino';
import { BrokerMonitor, MessagingModule, kafkaReadiness } from '@jobstream/messaging';
import { OpenApiModule } from '@jobstream/platform/openapi';
import { HealthModule, PlatformModule, REDIS, RedisModule, redisInfo, withDeadline } from '@jobstream/platform';
import type { NotifierConfig } from './notifier.config';
import { EmailProcessor } from './queues/email.processor';
import { EmailProducer } from './queues/email.producer';
import { queueReadiness } from './queues/queue.health';
import { NotifierQueuesModule } from './queues/queues.module';
import { ScheduleProcessor } from './queues/schedule.processor';
import { ScheduleProducer } from './queues/schedule.producer';
import { smtpGreeting } from './smtp.health';
import { WebhookDeliveries } from './webhooks/webhook-deliveries.service';
import { WEBHOOKS_PROJECTION } from './webhooks/webhook-group.gate';
import { WebhookProcessor } from './webhooks/webhook.processor';

@Module({})
export class NotifierModule {
  static forRoot(config: NotifierConfig, logger: Logger): DynamicModule {
    return {
      module: NotifierModule,
      imports: [
        PlatformModule.forRoot({ config, logger }),
        RedisModule.forRoot(config.REDIS_URL),
        OpenApiModule.forRoot({ title: 'jobstream notifier', description: 'The operator API of signed webhook subscriptions: subscriptions, their delivery log and redelivery.' }),
        MessagingModule.forRoot({ service: 'notifier', kafka: config, consumer: config, onDemandProjections: [WEBHOOKS_PROJECTION] }),
        NotifierQueuesModule.forRoot(config),
        HealthModule.forRoot({
          inject: [BrokerMonitor, REDIS, EmailProducer, EmailProcessor, ScheduleProducer, ScheduleProcessor, WebhookDeliveries, WebhookProcessor],
          useFactory: (
            monitor: BrokerMonitor,
            redis: Redis,
            emails: EmailProducer,
            emailWorker: EmailProcessor,
            schedule: ScheduleProducer,
            scheduleWorker: ScheduleProcessor,
            webhooks: WebhookDeliveries,
            webhookWorker: WebhookProcessor,
          ) => [
            kafkaReadiness(monitor),
            withDeadline('redis', 3000, () => redisInfo(redis)),
            withDeadline('smtp', 3000, () => smtpGreeting(config.SMTP_URL)),
            queueReadiness(emails.queue, () => emailWorker.running),
            queueReadiness(schedule.queue, () => scheduleWorker.running),
            queueReadiness(webhooks.queue, () => webhookWorker.running),
          ],
        }),
      ],
    };
  }
}
