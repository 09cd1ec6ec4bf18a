import { Controller } from '@nestjs/common';
import { OnEvents, type EventBatch } from '@jobstream/messaging/on-events.decorator';
import { NotifierStore } from '../store/notifier-store.repository';

/** Keeps each posting's title, status and expiry (for reminders and digests), newest revision wins. */
@Controller()
export class PostingsConsumer {
  constructor(private readonly store: NotifierStore) {}

  @OnEvents(['posting.published', 'posting.updated', 'posting.closed', 'posting.expired'])
  async project(batch: EventBatch<'posting.published' | 'posting.updated' | 'posting.closed' | 'posting.expired'>): Promise<void> {
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
