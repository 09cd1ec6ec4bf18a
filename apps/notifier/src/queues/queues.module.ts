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
import { NOTIFIER_CONFIG, QUEUE_REDIS } from './queue.tokens';

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
    private readonly emailProducer: EmailProducer,
    private readonly scheduleProducer: ScheduleProducer,
    private readonly mailer: Mailer,
    @Inject(QUEUE_REDIS) private readonly redis: Redis,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.scheduleProducer.upsertSchedulers();
    this.emailProcessor.start();
    this.scheduleProcessor.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.emailProcessor.close(), this.scheduleProcessor.close()]);
    await Promise.all([this.emailProducer.close(), this.scheduleProducer.close()]);
    this.mailer.close();
    await this.redis.quit().catch(() => this.redis.disconnect());
    this.logger.info('email workers drained, queues closed');
  }
}

@Global()
@Module({})
export class NotifierQueuesModule implements NestModule {
  private static config?: NotifierConfig;

  static forRoot(config: NotifierConfig): DynamicModule {
    NotifierQueuesModule.config = config;
    return {
      module: NotifierQueuesModule,
      providers: [
        { provide: NOTIFIER_CONFIG, useValue: config },
        {
          provide: QUEUE_REDIS,
          inject: [ROOT_LOGGER],
          // BullMQ needs commands to wait (not fail) while Redis reconnects.
          useFactory: (logger: Logger): Redis => createRedis(config.REDIS_URL, logger.child({ component: 'queue-redis' }), { maxRetriesPerRequest: null }),
        },
        { provide: NotifierStore, inject: [QUEUE_REDIS], useFactory: (redis: Redis) => new NotifierStore(redis, config.NOTIFIER_QUEUE_PREFIX) },
        { provide: Mailer, useFactory: () => new Mailer(config.SMTP_URL, config.MAIL_FROM, config.SMTP_TIMEOUT_MS) },
        EmailProducer,
        ScheduleProducer,
        EmailProcessor,
        ScheduleProcessor,
        QueueLifecycle,
      ],
      // Event handlers (@OnEvents) are controllers: Nest registers only controllers' patterns on a transport.
      controllers: [OutcomesConsumer, HiringTeamsConsumer, PostingsConsumer, PostingStatsConsumer],
      exports: [EmailProducer, ScheduleProducer, EmailProcessor, ScheduleProcessor, NotifierStore],
    };
  }

  constructor(
    private readonly emails: EmailProducer,
    private readonly schedule: ScheduleProducer,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  /** The queue dashboard, only behind operator credentials: without them it is not mounted at all. */
  configure(consumer: MiddlewareConsumer): void {
    const config = NotifierQueuesModule.config;
    if (!config?.NOTIFIER_ADMIN_USER || !config.NOTIFIER_ADMIN_PASSWORD) {
      this.logger.warn('queue dashboard not mounted: NOTIFIER_ADMIN_USER and NOTIFIER_ADMIN_PASSWORD are not set');
      return;
    }
    consumer
      .apply(basicAuth(config.NOTIFIER_ADMIN_USER, config.NOTIFIER_ADMIN_PASSWORD), dashboardRouter([this.emails.queue, this.schedule.queue]))
      .forRoutes({ path: 'admin/queues', method: RequestMethod.ALL }, { path: 'admin/queues/(.*)', method: RequestMethod.ALL });
  }
}
