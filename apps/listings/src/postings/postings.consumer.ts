import { Controller } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { OnEvents, type EventBatch } from '@jobstream/messaging/on-events.decorator';
import { PostingsRepository } from './postings.repository';

@Controller()
export class PostingsConsumer {
  constructor(
    private readonly postings: PostingsRepository,
    @InjectPinoLogger(PostingsConsumer.name) private readonly logger: PinoLogger,
  ) {}

  @OnEvents(['posting.published', 'posting.updated', 'posting.closed', 'posting.expired'])
  async project(batch: EventBatch<'posting.published' | 'posting.updated' | 'posting.closed' | 'posting.expired'>): Promise<void> {
    const events = batch.map(({ event }) => event);
    await this.postings.applySnapshots(events);
    this.logger.debug({ eventIds: events.map((e) => e.id) }, 'postings projected');
  }
}
