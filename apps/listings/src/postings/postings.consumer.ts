import { Injectable } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { Topics, type EventEnvelope } from '@jobstream/contracts';
import { OnTopic } from '@jobstream/messaging/on-topic.decorator';
import type { ConsumedEvent } from '@jobstream/messaging/batch-processor';
import { PostingsRepository } from './postings.repository';

type PostingEvent = EventEnvelope<'posting.published' | 'posting.updated' | 'posting.closed' | 'posting.expired'>;

@Injectable()
export class PostingsConsumer {
  constructor(
    private readonly postings: PostingsRepository,
    @InjectPinoLogger(PostingsConsumer.name) private readonly logger: PinoLogger,
  ) {}

  @OnTopic(Topics.postings)
  async project(batch: ConsumedEvent[]): Promise<void> {
    const events: PostingEvent[] = [];
    for (const { event } of batch) {
      if (event.type === 'posting.published' || event.type === 'posting.updated' || event.type === 'posting.closed' || event.type === 'posting.expired') events.push(event);
    }
    await this.postings.applySnapshots(events);
    this.logger.debug({ eventIds: events.map((e) => e.id) }, 'postings projected');
  }
}
