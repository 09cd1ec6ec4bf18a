import { Module, type DynamicModule } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import type Redis from 'ioredis';
import type { Connection } from 'mongoose';
import type { Logger } from 'pino';
import { BrokerMonitor, MessagingModule, kafkaReadiness } from '@jobstream/messaging';
import { OpenApiModule } from '@jobstream/platform/openapi';
import { HealthModule, PlatformModule, REDIS, RedisModule, databaseModule, mongoInfo, redisInfo, withDeadline } from '@jobstream/platform';
import type { DocumentEngine } from '@jobstream/platform/document-store';
import type { AnalyticsConfig } from './analytics.config';
import { CatalogModule } from './catalog/catalog.module';
import { ContributionsModule } from './contributions/contributions.module';
import { EngagementModule } from './engagement/engagement.module';
import { SnapshotsModule } from './snapshots/snapshots.module';
import { TrendingModule } from './trending/trending.module';

@Module({})
export class AnalyticsModule {
  static forRoot(config: AnalyticsConfig, logger: Logger): DynamicModule {
    return {
      module: AnalyticsModule,
      imports: [
        PlatformModule.forRoot({ config, logger }),
        OpenApiModule.forRoot({ title: 'jobstream analytics', description: 'Engagement counters, trending, and the salary, review and interview summaries of companies.' }),
        databaseModule(config.MONGO_URL, config.MONGO_ENGINE as DocumentEngine | 'auto'),
        RedisModule.forRoot(config.REDIS_URL),
        MessagingModule.forRoot({ service: 'analytics', kafka: config, consumer: config }),
        HealthModule.forRoot({
          inject: [BrokerMonitor, getConnectionToken(), REDIS],
          useFactory: (monitor: BrokerMonitor, connection: Connection, redis: Redis) => [
            kafkaReadiness(monitor),
            withDeadline('mongodb', 3000, () => mongoInfo(connection)),
            withDeadline('redis', 3000, () => redisInfo(redis)),
          ],
        }),
        CatalogModule,
        EngagementModule,
        ContributionsModule,
        TrendingModule,
        SnapshotsModule,
      ],
    };
  }
}
