import { Injectable } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { Topics, type EventEnvelope } from '@jobstream/contracts';
import { OnTopic } from '@jobstream/messaging/on-topic.decorator';
import type { ConsumedEvent } from '@jobstream/messaging/batch-processor';
import { CompaniesRepository } from '../companies/companies.repository';
import { PostingsRepository } from './postings.repository';

type PostingEvent = EventEnvelope<'posting.published' | 'posting.updated' | 'posting.closed' | 'posting.expired'>;

@Injectable()
export class PostingsConsumer {
  constructor(
    private readonly postings: PostingsRepository,
    private readonly companies: CompaniesRepository,
    @InjectPinoLogger(PostingsConsumer.name) private readonly logger: PinoLogger,
  ) {}

  @OnTopic(Topics.postings)
  async project(batch: ConsumedEvent[]): Promise<void> {
    const events: PostingEvent[] = [];
    for (const { event } of batch) {
      if (event.type === 'posting.published' || event.type === 'posting.updated' || event.type === 'posting.closed' || event.type === 'posting.expired') events.push(event);
    }
    const names = await this.companies.namesOf(events.map((e) => e.data.companyId));
    await this.postings.applySnapshots(events, names);
    // A company projected while this batch was in flight may have missed these postings: its
    // refresh read them before we wrote them. Reading the names again after our write closes that gap.
    const missing = [...new Set(events.map((e) => e.data.companyId).filter((id) => !names.has(id)))];
    for (const [companyId, name] of await this.companies.namesOf(missing)) await this.postings.refreshCompanyName(companyId, name);
    this.logger.debug({ eventIds: events.map((e) => e.id) }, 'postings projected');
  }

  @OnTopic(Topics.postingStats)
  async projectStats(batch: ConsumedEvent[]): Promise<void> {
    const stats: EventEnvelope<'posting-stats.updated'>[] = [];
    for (const { event } of batch) if (event.type === 'posting-stats.updated') stats.push(event);
    await this.postings.applyStats(stats);
  }
}
