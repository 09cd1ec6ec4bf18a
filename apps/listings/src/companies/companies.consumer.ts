import { Controller } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import type { EventEnvelope } from '@jobstream/contracts';
import { OnEvents, type EventBatch } from '@jobstream/messaging/on-events.decorator';
import { PostingsRepository } from '../postings/postings.repository';
import { CompaniesRepository } from './companies.repository';

@Controller()
export class CompaniesConsumer {
  constructor(
    private readonly companies: CompaniesRepository,
    private readonly postings: PostingsRepository,
    @InjectPinoLogger(CompaniesConsumer.name) private readonly logger: PinoLogger,
  ) {}

  @OnEvents(['company.upserted'])
  async project(batch: EventBatch<'company.upserted'>): Promise<void> {
    const upserts: EventEnvelope<'company.upserted'>[] = [];
    for (const { event } of batch) if (event.type === 'company.upserted') upserts.push(event);
    await this.companies.applyUpserts(upserts);
    // Postings carry the company name for keyword search; bring them in line with the stored name.
    const names = await this.companies.namesOf(upserts.map((e) => e.data.companyId));
    for (const companyId of names.keys()) await this.postings.syncCompanyNames({ companyId }, names);
    this.logger.debug({ eventIds: upserts.map((e) => e.id) }, 'companies projected');
  }

  @OnEvents(['company-insights.updated'])
  async projectInsights(batch: EventBatch<'company-insights.updated'>): Promise<void> {
    const insights: EventEnvelope<'company-insights.updated'>[] = [];
    for (const { event } of batch) if (event.type === 'company-insights.updated') insights.push(event);
    await this.companies.applyInsights(insights);
  }
}
