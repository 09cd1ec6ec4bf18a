import { Controller } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { OnEvents, type EventBatch } from '@jobstream/messaging/on-events.decorator';
import { CatalogRepository, type PostingRef } from './catalog.repository';

/** What analytics needs to know of postings and companies: owner, title, status, name. */
@Controller()
export class CatalogConsumer {
  constructor(
    private readonly repository: CatalogRepository,
    @InjectPinoLogger(CatalogConsumer.name) private readonly logger: PinoLogger,
  ) {}

  @OnEvents(['posting.published', 'posting.updated', 'posting.closed', 'posting.expired'])
  async postings(batch: EventBatch<'posting.published' | 'posting.updated' | 'posting.closed' | 'posting.expired'>): Promise<void> {
    const refs: PostingRef[] = [];
    for (const { event } of batch) {
      switch (event.type) {
        case 'posting.published':
        case 'posting.updated':
        case 'posting.closed':
        case 'posting.expired': {
          const { postingId, companyId, title, status, revision } = event.data;
          refs.push({ postingId, companyId, title, status, revision });
          break;
        }
        default:
          break;
      }
    }
    const applied = await this.repository.applyPostings(refs);
    this.logger.debug({ events: refs.length, applied }, 'postings catalogued');
  }

  @OnEvents(['company.upserted'])
  async companies(batch: EventBatch<'company.upserted'>): Promise<void> {
    const companies: { companyId: string; name: string; eventId: string }[] = [];
    for (const { event } of batch) {
      if (event.type === 'company.upserted') companies.push({ companyId: event.data.companyId, name: event.data.name, eventId: event.id });
    }
    await this.repository.applyCompanies(companies);
  }
}
