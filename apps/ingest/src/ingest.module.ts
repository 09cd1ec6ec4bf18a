import { Module, type DynamicModule } from '@nestjs/common';
import { OpenApiModule } from '@jobstream/platform/openapi';
import type { Logger } from 'pino';
import { BrokerMonitor, MessagingModule, kafkaReadiness } from '@jobstream/messaging';
import { APP_GUARD, Reflector } from '@nestjs/core';
import type Redis from 'ioredis';
import { HealthModule, PlatformModule, REDIS, RedisModule, redisInfo, withDeadline } from '@jobstream/platform';
import { API_KEYS, ApiKeyGuard } from '@jobstream/platform/auth/api-key.guard';
import { PostingsModule } from './postings/postings.module';
import { RegistryModule } from './registry/registry.module';
import { ApplicationsIngestModule } from './applications/applications.module';
import { CompaniesController } from './companies/companies.controller';
import type { IngestConfig } from './ingest.config';
import { EngagementModule } from './engagement/engagement.module';
import { ContributionsModule } from './contributions/contributions.module';

@Module({})
export class IngestModule {
  static forRoot(config: IngestConfig, logger: Logger): DynamicModule {
    return {
      module: IngestModule,
      imports: [
        PlatformModule.forRoot({ config, logger }),
        OpenApiModule.forRoot({ title: 'jobstream ingest', description: 'Every write to jobstream: companies, postings, engagement, contributions, applications. Each accepted write is an event on Kafka.' }),
        MessagingModule.forRoot({ service: 'ingest', kafka: config }),
        HealthModule.forRoot({
          inject: [BrokerMonitor, REDIS],
          useFactory: (monitor: BrokerMonitor, redis: Redis) => [kafkaReadiness(monitor), withDeadline('redis', 3000, () => redisInfo(redis))],
        }),
        RegistryModule.forRoot(config),
        PostingsModule.forRoot(config),
        ApplicationsIngestModule.forRoot(config),
        RedisModule.forRoot(config.REDIS_URL),
        EngagementModule,
        ContributionsModule,
      ],
      controllers: [CompaniesController],
      providers: [
        { provide: API_KEYS, useValue: config.INGEST_API_KEYS },
        { provide: APP_GUARD, inject: [Reflector, API_KEYS], useFactory: (reflector: Reflector, keys: typeof config.INGEST_API_KEYS) => new ApiKeyGuard(reflector, keys) },
      ],
    };
  }
}
