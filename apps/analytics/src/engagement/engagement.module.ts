import { Module } from '@nestjs/common';
import { redisKeysProvider } from '../analytics.tokens';
import { EngagementConsumer } from './engagement.consumer';
import { EngagementRepository } from './engagement.repository';
import { PostingStatsController } from './posting-stats.controller';

@Module({
  controllers: [PostingStatsController],
  providers: [redisKeysProvider, EngagementRepository, EngagementConsumer],
  exports: [EngagementRepository],
})
export class EngagementModule {}
