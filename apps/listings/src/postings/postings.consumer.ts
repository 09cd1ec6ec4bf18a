import { Controller } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import type { EventEnvelope } from '@jobstream/contracts';
import { OnEvents, type EventBatch } from '@jobstream/messaging/on-events.decorator';
import { CompaniesRepository } from '../companies/companies.repository';
import { PostingsRepository } from './postings.repository';

type PostingEvent = EventEnvelope<'posting.published' | 'posting.updated' | 'posting.closed' | 'posting.expired'>;

@Controller()
export class PostingsConsumer {
  constructor(
    private readonly postings: PostingsRepository,
    private readonly companies: CompaniesRepository,
    @InjectPinoLogger(PostingsConsumer.name) private readonly logger: PinoLogger,
  ) {}

  @OnEvents(['posting.published', 'posting.updated', 'posting.closed', 'posting.expired'])
  async project(batch: EventBatch<'posting.published' | 'posting.updated' | 'posting.closed' | 'posting.expired'>): Promise<void> {
    const events: PostingEvent[] = [];
    for (const { event } of batch) {
      if (event.type === 'posting.published' || event.type === 'posting.updated' || event.type === 'posting.closed' || event.type === 'posting.expired') events.push(event);
    }
    const companyIds = [...new Set(events.map((e) => e.data.companyId))];
    const names = await this.companies.namesOf(companyIds);
    const { skipped } = await this.postings.applySnapshots(events, names);
    // The names written may already be stale: a company projected while this batch was in flight
    // read its postings before we wrote them. And a redelivered batch (after a crash between our
    // write and this step) writes nothing. Re-reading the names after the write, and syncing the
    // postings whose name may be off, closes both gaps.
    const now = await this.companies.namesOf(companyIds);
    const changed = new Set(companyIds.filter((id) => now.get(id)?.version !== names.get(id)?.version));
    const suspect = new Set(skipped);
    for (const e of events) if (changed.has(e.data.companyId)) suspect.add(e.data.postingId);
    if (suspect.size > 0) await this.postings.syncCompanyNames({ ids: [...suspect] }, now);
    this.logger.debug({ eventIds: events.map((e) => e.id) }, 'postings projected');
  }

  @OnEvents(['posting-stats.updated'])
  async projectStats(batch: EventBatch<'posting-stats.updated'>): Promise<void> {
    const stats: EventEnvelope<'posting-stats.updated'>[] = [];
    for (const { event } of batch) if (event.type === 'posting-stats.updated') stats.push(event);
    await this.postings.applyStats(stats);
  }
}
