import { Injectable } from '@nestjs/common';
import { Topics } from '@jobstream/contracts';
import { OnTopic } from '@jobstream/messaging/on-topic.decorator';
import type { ConsumedEvent } from '@jobstream/messaging/batch-processor';
import { NotifierStore } from '../store/notifier-store.repository';

/** Keeps the daily views and apply clicks of each posting for the recruiters' digest. */
@Injectable()
export class PostingStatsConsumer {
  constructor(private readonly store: NotifierStore) {}

  @OnTopic(Topics.postingStats)
  async project(batch: ConsumedEvent[]): Promise<void> {
    for (const { event } of batch) if (event.type === 'posting-stats.updated') await this.store.applyStats(event.data);
  }
}
