import { Module, type DynamicModule } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import type { Logger } from 'pino';
import { BrokerMonitor, MessagingModule, kafkaReadiness } from '@jobstream/messaging';
import { HealthModule, PlatformModule, databaseModule, mongoInfo, withDeadline } from '@jobstream/platform';
import { CompaniesModule } from './companies/companies.module';
import type { ListingsConfig } from './listings.config';

@Module({})
export class ListingsModule {
  static forRoot(config: ListingsConfig, logger: Logger): DynamicModule {
    return {
      module: ListingsModule,
      imports: [
        PlatformModule.forRoot({ config, logger }),
        databaseModule(config.MONGO_URL),
        MessagingModule.forRoot({ service: 'listings', kafka: config, consumer: config }),
        HealthModule.forRoot({
          inject: [BrokerMonitor, getConnectionToken()],
          useFactory: (monitor: BrokerMonitor, connection: Connection) => [
            kafkaReadiness(monitor),
            withDeadline('mongodb', 3000, () => mongoInfo(connection)),
          ],
        }),
        CompaniesModule,
      ],
    };
  }
}
