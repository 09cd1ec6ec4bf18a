import { Module, type DynamicModule } from '@nestjs/common';
import { OpenApiModule } from '@jobstream/platform/openapi';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import type { Logger } from 'pino';
import { BrokerMonitor, MessagingModule, kafkaReadiness } from '@jobstream/messaging';
import { HealthModule, PlatformModule, RedisModule, databaseModule, mongoInfo, withDeadline } from '@jobstream/platform';
import type { DocumentEngine } from '@jobstream/platform/document-store';
import { SearchModule } from './search/search.module';
import { OPENSEARCH, SEARCH_PROJECTIONS, searchGroupSuffix } from './search/search.tokens';
import type { OpenSearchGateway } from './search/opensearch.gateway';
import { ApplicationsModule } from './applications/applications.module';
import { CompaniesModule } from './companies/companies.module';
import { LISTINGS_PUBLIC_URL } from './listings.tokens';
import { PostingsModule } from './postings/postings.module';
import { Global } from '@nestjs/common';
import type { ListingsConfig } from './listings.config';

@Global()
@Module({})
class ListingsSettingsModule {
  static forRoot(config: ListingsConfig): DynamicModule {
    return { module: ListingsSettingsModule, providers: [{ provide: LISTINGS_PUBLIC_URL, useValue: config.LISTINGS_PUBLIC_URL }], exports: [LISTINGS_PUBLIC_URL] };
  }
}

/** Both groups of the search index read as the search principal. */
const searchSasl = (config: ListingsConfig) => ({
  mechanism: config.KAFKA_SASL_MECHANISM,
  username: config.KAFKA_SEARCH_SASL_USERNAME,
  password: config.KAFKA_SEARCH_SASL_PASSWORD,
  passwordFile: config.KAFKA_SEARCH_SASL_PASSWORD_FILE,
  prefix: 'KAFKA_SEARCH_SASL',
});

@Module({})
export class ListingsModule {
  static forRoot(config: ListingsConfig, logger: Logger): DynamicModule {
    return {
      module: ListingsModule,
      imports: [
        PlatformModule.forRoot({ config, logger }),
        OpenApiModule.forRoot({ title: 'jobstream listings', description: 'Search, the posting page, companies and application status: the read side projected from the events.' }),
        databaseModule(config.MONGO_URL, config.MONGO_ENGINE as DocumentEngine | 'auto'),
        MessagingModule.forRoot({
          service: 'listings',
          kafka: config,
          consumer: config,
          projectionGroups: Object.fromEntries(SEARCH_PROJECTIONS.map((p) => [p, searchGroupSuffix(config.SEARCH_BUILD, p)])),
          projectionMaxBatch: Object.fromEntries(SEARCH_PROJECTIONS.map((p) => [p, config.SEARCH_MAX_BATCH])),
          projectionSasl: config.KAFKA_SEARCH_SASL_USERNAME ? Object.fromEntries(SEARCH_PROJECTIONS.map((p) => [p, searchSasl(config)])) : undefined,
        }),
        RedisModule.forRoot(config.REDIS_URL),
        SearchModule.forRoot(config),
        HealthModule.forRoot({
          inject: [BrokerMonitor, getConnectionToken(), OPENSEARCH],
          useFactory: (monitor: BrokerMonitor, connection: Connection, os: OpenSearchGateway) => [
            kafkaReadiness(monitor),
            withDeadline('mongodb', 3000, () => mongoInfo(connection)),
            withDeadline('opensearch', 3000, async () => {
              const { body } = await os.call<{ status: string }>('GET', '/_cluster/health');
              if (body.status === 'red') throw new Error('cluster status red');
              return { clusterStatus: body.status };
            }),
          ],
        }),
        ListingsSettingsModule.forRoot(config),
        CompaniesModule,
        PostingsModule,
        ApplicationsModule,
      ],
    };
  }
}
