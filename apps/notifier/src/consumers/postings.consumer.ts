import { Injectable } from '@nestjs/common';
import { Topics } from '@jobstream/contracts';
import { OnTopic } from '@jobstream/messaging/on-topic.decorator';
import type { ConsumedEvent } from '@jobstream/messaging/batch-processor';
import { NotifierStore } from '../store/notifier-store.repository';

/** Keeps each posting's title, status and expiry (for reminders and digests), newest revision wins. */
@Injectable()
export class PostingsConsumer {
  constructor(private readonly store: NotifierStore) {}

  @OnTopic(Topics.postings)
  async project(batch: ConsumedEvent[]): Promise<void> {
    for (const { event } of batch) {
      switch (event.type) {
        case 'posting.published':
        case 'posting.updated':
        case 'posting.closed':
        case 'posting.expired':
          await this.store.applyPosting(event.data);
          break;
        default:
          break;
      }
    }
  }
}
