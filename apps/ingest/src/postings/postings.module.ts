import { Module, type DynamicModule } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ExpirySweeper, EXPIRY_SWEEP_INTERVAL } from './expiry.sweeper';
import { PostingRecord, PostingRecordSchema } from './posting-registry.schema';
import { PostingRegistryRepository } from './posting-registry.repository';
import { PostingsController } from './postings.controller';
import { PostingsService } from './postings.service';

@Module({})
export class PostingsModule {
  static forRoot(config: { POSTING_EXPIRY_SWEEP_MS: number }): DynamicModule {
    return {
      module: PostingsModule,
      imports: [MongooseModule.forFeature([{ name: PostingRecord.name, schema: PostingRecordSchema }])],
      controllers: [PostingsController],
      providers: [PostingRegistryRepository, PostingsService, ExpirySweeper, { provide: EXPIRY_SWEEP_INTERVAL, useValue: config.POSTING_EXPIRY_SWEEP_MS }],
      exports: [ExpirySweeper],
    };
  }
}
