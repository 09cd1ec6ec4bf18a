import { Controller } from '@nestjs/common';
import { OnEvents, type EventBatch } from '@jobstream/messaging/on-events.decorator';
import { NotifierStore } from '../store/notifier-store.repository';

/** Keeps the daily views and apply clicks of each posting for the recruiters' digest. */
@Controller()
export class PostingStatsConsumer {
  constructor(private readonly store: NotifierStore) {}

  @OnEvents(['posting-stats.updated'])
  async project(batch: EventBatch<'posting-stats.updated'>): Promise<void> {
    for (const { event } of batch) if (event.type === 'posting-stats.updated') await this.store.applyStats(event.data);
  }
}
