import { Module } from '@nestjs/common';
import { ContributionsModule } from '../contributions/contributions.module';
import { EngagementModule } from '../engagement/engagement.module';
import { TrendingModule } from '../trending/trending.module';
import { DirtyKeysModule } from './dirty-keys.module';
import { SnapshotFlusher } from './snapshot.flusher';

@Module({ imports: [DirtyKeysModule, EngagementModule, ContributionsModule, TrendingModule], providers: [SnapshotFlusher] })
export class SnapshotsModule {}
