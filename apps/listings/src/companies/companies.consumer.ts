import { Controller } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { OnEvents, type EventBatch } from '@jobstream/messaging/on-events.decorator';
import { CompaniesRepository } from './companies.repository';

@Controller()
export class CompaniesConsumer {
  constructor(
    private readonly companies: CompaniesRepository,
    @InjectPinoLogger(CompaniesConsumer.name) private readonly logger: PinoLogger,
  ) {}

  @OnEvents(['company.upserted'])
  async project(batch: EventBatch<'company.upserted'>): Promise<void> {
    const upserts = batch.map(({ event }) => event);
    await this.companies.applyUpserts(upserts);
    this.logger.debug({ eventIds: upserts.map((e) => e.id) }, 'companies projected');
  }
}
