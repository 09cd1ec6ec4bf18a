import { Module, type DynamicModule } from '@nestjs/common';
import { OpenApiModule } from '@jobstream/platform/openapi';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import type { Logger } from 'pino';
import { BrokerMonitor, MessagingModule, kafkaReadiness } from '@jobstream/messaging';
import { HealthModule, PlatformModule, databaseModule, mongoInfo, withDeadline } from '@jobstream/platform';
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

@Module({})
export class ListingsModule {
  static forRoot(config: ListingsConfig, logger: Logger): DynamicModule {
    return {
      module: ListingsModule,
      imports: [
        PlatformModule.forRoot({ config, logger }),
        OpenApiModule.forRoot({ title: 'jobstream listings', description: 'Search, the posting page, companies and application status: the read side projected from the events.' }),
        databaseModule(config.MONGO_URL),
        MessagingModule.forRoot({ service: 'listings', kafka: config, consumer: config }),
        HealthModule.forRoot({
          inject: [BrokerMonitor, getConnectionToken()],
          useFactory: (monitor: BrokerMonitor, connection: Connection) => [
            kafkaReadiness(monitor),
            withDeadline('mongodb', 3000, () => mongoInfo(connection)),
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
