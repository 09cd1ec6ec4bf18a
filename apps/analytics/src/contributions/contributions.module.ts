import { Module } from '@nestjs/common';
import { DirtyKeysModule } from '../snapshots/dirty-keys.module';
import { CompanyInsightsController } from './company-insights.controller';
import { ContributionsConsumer } from './contributions.consumer';
import { ContributionsRepository } from './contributions.repository';

@Module({
  imports: [DirtyKeysModule],
  controllers: [CompanyInsightsController, ContributionsConsumer],
  providers: [ContributionsRepository],
  exports: [ContributionsRepository],
})
export class ContributionsModule {}
