import { Body, ConflictException, Controller, HttpCode, Inject, NotFoundException, Param, Post, UseGuards } from '@nestjs/common';
import { ApplicationReceiptSchema } from '../ingest.responses';
import { PublicRateLimitGuard } from '../rate-limit/rate-limit.guard';
import { ApiRoute } from '@jobstream/platform/openapi';
import { v7 as uuidv7 } from 'uuid';
import { Id, createEvent } from '@jobstream/contracts';
import { EventPublisher } from '@jobstream/messaging/event-publisher';
import { TypeBoxPipe } from '@jobstream/platform/typebox.pipe';
import { ApplicationInput } from './application.input.schema';
import { candidateIdOf, newReceiptToken, normalizeEmail } from './candidate.util';
import { applicationGate } from './application-gate.util';
import { PostingRegistryRepository } from '../postings/posting-registry.repository';
import { CompanyRegistryRepository } from '../companies/company-registry.repository';

export const CANDIDATE_ID_SECRET = Symbol('jobstream:candidate-id-secret');

export interface ApplicationReceipt {
  applicationId: string;
  receiptToken: string;
  status: 'pending';
}

/** Trims and lower-cases the email before validation, so the format check sees what is published. */
function normalizeBody(body: unknown): unknown {
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const record = body as Record<string, unknown>;
    if (typeof record.email === 'string') return { ...record, email: normalizeEmail(record.email) };
  }
  return body;
}

@Controller('v1/postings')
export class ApplicationsController {
  constructor(
    private readonly publisher: EventPublisher,
    private readonly postings: PostingRegistryRepository,
    private readonly companies: CompanyRegistryRepository,
    @Inject(CANDIDATE_ID_SECRET) private readonly secret: string,
  ) {}

  /**
   * A candidate applies. Ingest answers what its registry knows at once: 404 for a posting it never
   * published, 409 for a closed or expired one (no event). Otherwise 202 means the application is
   * durably on the `applications` topic, carrying the posting revision and company profile the
   * registry had: listings decides the limit on exactly those, in the order applied. The receipt
   * token is shown once: with it the candidate reads the decision at GET /v1/applications/:id on listings.
   */
  @ApiRoute({ summary: 'Apply to a posting (application.submitted); keep the receipt token to read the outcome', params: { id: Id('posting id') }, body: ApplicationInput, responses: { 202: { description: 'Accepted for a decision: keep the receipt token', schema: ApplicationReceiptSchema }, 400: 'Invalid body, naming the fields', 404: 'No published posting with this id', 409: 'The posting is closed or expired', 413: 'Body too large', 429: 'Rate limited', 503: 'Kafka or the registry unavailable; retry after Retry-After' } })
  @Post(':id/applications')
  @HttpCode(202)
  @UseGuards(PublicRateLimitGuard)
  async apply(
    @Param('id', new TypeBoxPipe(Id('posting id'), 'posting id')) postingId: string,
    @Body() raw: unknown,
  ): Promise<ApplicationReceipt> {
    const applicant: ApplicationInput = new TypeBoxPipe(ApplicationInput).transform(normalizeBody(raw));
    const gate = applicationGate(postingId, await this.postings.findById(postingId), new Date());
    if (!gate.open) throw gate.status === 404 ? new NotFoundException(gate.message) : new ConflictException(gate.message);
    const company = await this.companies.findById(gate.posting.companyId);
    const applicationId = uuidv7();
    const receipt = newReceiptToken();
    const event = createEvent(
      'application.submitted',
      {
        applicationId,
        candidateId: candidateIdOf(applicant.email, this.secret),
        postingId,
        applicant,
        receiptTokenHash: receipt.hash,
        submittedAt: new Date().toISOString(),
        posting: gate.posting,
        ...(company ? { company } : {}),
      },
      'ingest',
    );
    await this.publisher.publish([event]);
    return { applicationId, receiptToken: receipt.token, status: 'pending' };
  }
}
