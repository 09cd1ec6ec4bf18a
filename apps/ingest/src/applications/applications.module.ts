import { Module, type DynamicModule } from '@nestjs/common';
import { ApplicationsController, CANDIDATE_ID_SECRET } from './applications.controller';

@Module({})
export class ApplicationsIngestModule {
  static forRoot(config: { CANDIDATE_ID_SECRET: string }): DynamicModule {
    return {
      module: ApplicationsIngestModule,
      controllers: [ApplicationsController],
      providers: [{ provide: CANDIDATE_ID_SECRET, useValue: config.CANDIDATE_ID_SECRET }],
    };
  }
}
