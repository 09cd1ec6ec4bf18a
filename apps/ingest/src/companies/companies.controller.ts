import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { createEvent } from '@jobstream/contracts';
import { EventPublisher } from '@jobstream/messaging/event-publisher';
import { TypeBoxPipe } from '@jobstream/platform/typebox.pipe';
import { CompanyInput } from './company.input.schema';

@Controller('v1/companies')
export class CompaniesController {
  constructor(private readonly publisher: EventPublisher) {}

  /** Upserts a company's full profile. 202 means the broker has the event durably. */
  @Post()
  @HttpCode(202)
  async upsert(@Body(new TypeBoxPipe(CompanyInput)) body: CompanyInput): Promise<{ eventId: string; companyId: string }> {
    const { companyId = uuidv7(), ...profile } = body;
    const event = createEvent('company.upserted', { companyId, ...profile }, 'ingest');
    await this.publisher.publish([event]);
    return { eventId: event.id, companyId };
  }
}
