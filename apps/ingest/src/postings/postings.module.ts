import { Module, type DynamicModule } from '@nestjs/common';
import { ExpirySweeper, EXPIRY_SWEEP_INTERVAL } from './expiry.sweeper';
import { PostingsController } from './postings.controller';
import { PostingsService } from './postings.service';

@Module({})
export class PostingsModule {
  static forRoot(config: { POSTING_EXPIRY_SWEEP_MS: number }): DynamicModule {
    return {
      module: PostingsModule,
      controllers: [PostingsController],
      providers: [PostingsService, ExpirySweeper, { provide: EXPIRY_SWEEP_INTERVAL, useValue: config.POSTING_EXPIRY_SWEEP_MS }],
      exports: [ExpirySweeper],
    };
  }
}
