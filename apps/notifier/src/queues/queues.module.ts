import {
  Global,
  Inject,
  Injectable,
  Module,
  RequestMethod,
  type DynamicModule,
  type MiddlewareConsumer,
  type NestModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type Redis from 'ioredis';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '@jobstream/platform/logger';
import { createRedis } from '@jobstream/platform/redis';
import { basicAuth, dashboardRouter } from '../admin/queue-dashboard';
import { HiringTeamsConsumer } from '../consumers/hiring-teams.consumer';
import { OutcomesConsumer } from '../consumers/outcomes.consumer';
import { PostingStatsConsumer } from '../consumers/posting-stats.consumer';
import { PostingsConsumer } from '../consumers/postings.consumer';
import { Mailer } from '../mail/mailer';
import type { NotifierConfig } from '../notifier.config';
import { NotifierStore } from '../store/notifier-store.repository';
import { EmailProcessor } from './email.processor';
import { EmailProducer } from './email.producer';
import { ScheduleProcessor } from './schedule.processor';
import { ScheduleProducer } from './schedule.producer';
import { QUEUE_REDIS } from './queue.tokens';
import { APP_CONFIG } from '@jobstream/platform/platform.module';
import { API_KEYS, ApiKeyGuard } from '@jobstream/platform/auth/api-key.guard';
import { WebhooksConsumer } from '../consumers/webhooks.consumer';
import { WebhookDeliveries } from '../webhooks/webhook-deliveries.service';
import { WebhookGroupGate } from '../webhooks/webhook-group.gate';
import { WebhookProcessor } from '../webhooks/webhook.processor';
import { WebhookRateLimitGuard } from '../webhooks/webhook-rate-limit.guard';
import { WebhookStore } from '../webhooks/webhook-store.repository';
import { WebhooksController } from '../webhooks/webhooks.controller';

/**
 * Start and shutdown order of the notifier's queues. Nest runs every module's
 * beforeApplicationShutdown (the Kafka consumer stops there, its last batch's addBulk done) before
 * any onApplicationShutdown, so here, in one hook and in this order: drain the workers (in-flight
 * sends finish and write their markers), close the queues and SMTP pool, then our Redis connection.
 */
@Injectable()
class QueueLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly emailProcessor: EmailProcessor,
    private readonly scheduleProcessor: ScheduleProcessor,
    private readonly webhookProcessor: WebhookProcessor,
    private readonly emailProducer: EmailProducer,
    private readonly webhookDeliveries: WebhookDeliveries,
    private readonly scheduleProducer: ScheduleProducer,
    private readonly mailer: Mailer,
    @Inject(QUEUE_REDIS) private readonly redis: Redis,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.scheduleProducer.upsertSchedulers();
    this.emailProcessor.start();
    this.scheduleProcessor.start();
    this.webhookProcessor.start();
  }

  async onApplicationShutdown(): Promise<void> {
    // The webhook worker first among equals: a disable it records may still enqueue an operator email.
    await Promise.all([this.emailProcessor.close(), this.scheduleProcessor.close(), this.webhookProcessor.close()]);
    await Promise.all([this.emailProducer.close(), this.scheduleProducer.close(), this.webhookDeliveries.close()]);
    this.mailer.close();
    await this.redis.quit().catch(() => this.redis.disconnect());
    this.logger.info('email workers drained, queues closed');
  }
}

@Global()
@Module({})
export class NotifierQueuesModule implements NestModule {
  static forRoot(config: NotifierConfig): DynamicModule {
    return {
      module: NotifierQueuesModule,
      providers: [
        {
          provide: QUEUE_REDIS,
          inject: [ROOT_LOGGER],
          // BullMQ needs commands to wait (not fail) while Redis reconnects.
          useFactory: (logger: Logger): Redis => createRedis(config.REDIS_URL, logger.child({ component: 'queue-redis' }), { maxRetriesPerRequest: null }),
        },
        { provide: NotifierStore, inject: [QUEUE_REDIS], useFactory: (redis: Redis) => new NotifierStore(redis, config.NOTIFIER_QUEUE_PREFIX) },
        { provide: Mailer, useFactory: () => new Mailer(config.SMTP_URL, config.MAIL_FROM, config.SMTP_TIMEOUT_MS) },
        {
          provide: WebhookStore,
          inject: [QUEUE_REDIS],
          useFactory: (redis: Redis) => new WebhookStore(redis, config.NOTIFIER_QUEUE_PREFIX, config.WEBHOOK_LOG_RETENTION_DAYS * 86_400_000, config.WEBHOOK_LOG_MAX_PER_SUBSCRIPTION),
        },
        { provide: API_KEYS, useValue: config.INGEST_API_KEYS },
        ApiKeyGuard,
        WebhookRateLimitGuard,
        EmailProducer,
        ScheduleProducer,
        WebhookDeliveries,
        WebhookGroupGate,
        EmailProcessor,
        ScheduleProcessor,
        WebhookProcessor,
        QueueLifecycle,
      ],
      // Event handlers (@OnEvents) are controllers: Nest registers only controllers' patterns on a transport.
      controllers: [WebhooksController, WebhooksConsumer, OutcomesConsumer, HiringTeamsConsumer, PostingsConsumer, PostingStatsConsumer],
      exports: [EmailProducer, ScheduleProducer, EmailProcessor, ScheduleProcessor, NotifierStore, WebhookDeliveries, WebhookProcessor],
    };
  }

  constructor(
    private readonly emails: EmailProducer,
    private readonly schedule: ScheduleProducer,
    private readonly webhooks: WebhookDeliveries,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    @Inject(APP_CONFIG) private readonly config: NotifierConfig,
  ) {}

  /** The queue dashboard, only behind operator credentials: without them it is not mounted at all. */
  configure(consumer: MiddlewareConsumer): void {
    const config = this.config;
    if (!config.NOTIFIER_ADMIN_USER || !config.NOTIFIER_ADMIN_PASSWORD) {
      this.logger.warn('queue dashboard not mounted: NOTIFIER_ADMIN_USER and NOTIFIER_ADMIN_PASSWORD are not set');
      return;
    }
    consumer
      .apply(basicAuth(config.NOTIFIER_ADMIN_USER, config.NOTIFIER_ADMIN_PASSWORD), dashboardRouter([this.emails.queue, this.schedule.queue, this.webhooks.queue]))
      .forRoutes({ path: 'admin/queues', method: RequestMethod.ALL }, { path: 'admin/queues/*path', method: RequestMethod.ALL });
  }
}
