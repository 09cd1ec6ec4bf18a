import { Injectable } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { Topics, type EventEnvelope } from '@jobstream/contracts';
import { OnTopic } from '@jobstream/messaging/on-topic.decorator';
import type { ConsumedEvent } from '@jobstream/messaging/batch-processor';
import { CompaniesRepository } from './companies.repository';

@Injectable()
export class CompaniesConsumer {
  constructor(
    private readonly companies: CompaniesRepository,
    @InjectPinoLogger(CompaniesConsumer.name) private readonly logger: PinoLogger,
  ) {}

  @OnTopic(Topics.companies)
  async project(batch: ConsumedEvent[]): Promise<void> {
    const upserts: EventEnvelope<'company.upserted'>[] = [];
    for (const { event } of batch) if (event.type === 'company.upserted') upserts.push(event);
    await this.companies.applyUpserts(upserts);
    this.logger.debug({ eventIds: upserts.map((e) => e.id) }, 'companies projected');
  }
}
