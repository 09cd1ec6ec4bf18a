import { Module } from '@nestjs/common';
import { redisKeysProvider } from '../analytics.tokens';
import { EngagementConsumer } from './engagement.consumer';
import { EngagementRepository } from './engagement.repository';
import { PostingStatsController } from './posting-stats.controller';

@Module({
  controllers: [PostingStatsController, EngagementConsumer],
  providers: [redisKeysProvider, EngagementRepository],
  exports: [EngagementRepository],
})
export class EngagementModule {}
