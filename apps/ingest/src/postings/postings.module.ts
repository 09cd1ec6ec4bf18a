import { Module, type DynamicModule } from '@nestjs/common';
import { ExpirySweeper, EXPIRY_SWEEP_INTERVAL } from './expiry.sweeper';
import { PostingRegistryRepository, REGISTRY_PREFIX } from './posting-registry.repository';
import { PostingsController } from './postings.controller';
import { PostingsService } from './postings.service';

@Module({})
export class PostingsModule {
  static forRoot(config: { POSTING_EXPIRY_SWEEP_MS: number; INGEST_REGISTRY_PREFIX: string }): DynamicModule {
    return {
      module: PostingsModule,
      controllers: [PostingsController],
      providers: [PostingRegistryRepository, PostingsService, ExpirySweeper, { provide: EXPIRY_SWEEP_INTERVAL, useValue: config.POSTING_EXPIRY_SWEEP_MS }, { provide: REGISTRY_PREFIX, useValue: config.INGEST_REGISTRY_PREFIX }],
      exports: [ExpirySweeper],
    };
  }
}
