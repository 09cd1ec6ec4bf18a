import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CompanyWritten } from '../ingest.responses';
import { ApiRoute } from '@jobstream/platform/openapi';
import { v7 as uuidv7 } from 'uuid';
import { createEvent } from '@jobstream/contracts';
import { EventPublisher } from '@jobstream/messaging/event-publisher';
import { TypeBoxPipe } from '@jobstream/platform/typebox.pipe';
import { CompanyInput } from './company.input.schema';
import { CurrentPrincipal, RequireRole, forbidOutsideScope } from '@jobstream/platform/auth/api-key.guard';
import type { Principal } from '@jobstream/platform/auth/api-keys.util';
import { InvalidInputException } from '@jobstream/platform/http-errors';
import { CompanyRegistryRepository } from './company-registry.repository';

@Controller('v1/companies')
export class CompaniesController {
  constructor(
    private readonly publisher: EventPublisher,
    private readonly registry: CompanyRegistryRepository,
  ) {}

  /**
   * Upserts a company's full profile. 202 means the broker has the event durably and the registry
   * has recorded it, so every application made after the 202 is decided on this profile.
   */
  @ApiRoute({ summary: 'Upsert a company profile (company.upserted)', auth: 'operator or recruiter of the company', body: CompanyInput, responses: { 202: { description: 'Published; the read side follows within moments', schema: CompanyWritten }, 400: 'Invalid body, naming the fields', 401: 'Missing or unknown API key', 403: 'The key may not write this company', 413: 'Body too large', 503: 'Kafka or the registry unavailable; retry after Retry-After' } })
  @Post()
  @HttpCode(202)
  @RequireRole('operator', 'recruiter')
  async upsert(@Body(new TypeBoxPipe(CompanyInput)) body: CompanyInput, @CurrentPrincipal() principal: Principal): Promise<{ eventId: string; companyId: string }> {
    if (!body.companyId && principal.role !== 'operator') {
      throw new InvalidInputException('request body', [{ path: '/companyId', message: 'is required for recruiter keys' }]);
    }
    const { companyId = uuidv7(), ...profile } = body;
    forbidOutsideScope(principal, companyId);
    const event = createEvent('company.upserted', { companyId, ...profile }, 'ingest');
    await this.publisher.publish([event]);
    await this.registry.record(companyId, {
      version: event.id,
      name: profile.name,
      ...(profile.group ? { group: profile.group } : {}),
      ...(profile.applicationPolicy ? { applicationPolicy: profile.applicationPolicy } : {}),
    });
    return { eventId: event.id, companyId };
  }
}
