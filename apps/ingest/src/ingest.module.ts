import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import { BrokerMonitor, MessagingModule, kafkaReadiness } from '@jobstream/messaging';
import { HealthModule, PlatformModule } from '@jobstream/platform';
import { CompaniesController } from './companies/companies.controller';
import type { IngestConfig } from './ingest.config';

@Module({})
export class IngestModule {
  static forRoot(config: IngestConfig, logger: Logger): DynamicModule {
    return {
      module: IngestModule,
      imports: [
        PlatformModule.forRoot({ config, logger }),
        MessagingModule.forRoot({ service: 'ingest', kafka: config }),
        HealthModule.forRoot({ inject: [BrokerMonitor], useFactory: (monitor: BrokerMonitor) => [kafkaReadiness(monitor)] }),
      ],
      controllers: [CompaniesController],
    };
  }
}
