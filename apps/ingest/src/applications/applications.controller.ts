import { Body, Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiRoute } from '@jobstream/platform/openapi';
import { v7 as uuidv7 } from 'uuid';
import { Id, createEvent } from '@jobstream/contracts';
import { EventPublisher } from '@jobstream/messaging/event-publisher';
import { TypeBoxPipe } from '@jobstream/platform/typebox.pipe';
import { ApplicationInput } from './application.input.schema';
import { candidateIdOf, newReceiptToken, normalizeEmail } from './candidate.util';

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
    @Inject(CANDIDATE_ID_SECRET) private readonly secret: string,
  ) {}

  /**
   * A candidate applies. 202 means the application is durably on the `applications` topic; listings
   * decides it (posting open, application limit). The receipt token is shown once: with it the
   * candidate reads the decision at GET /v1/applications/:applicationId on listings.
   */
  @ApiRoute({ summary: 'Apply to a posting (application.submitted); keep the receipt token to read the outcome', params: { id: Id('posting id') }, body: ApplicationInput, responses: { 202: '{applicationId, receiptToken, status: pending}', 400: 'Invalid body, naming the fields', 503: 'Kafka unavailable' } })
  @Post(':id/applications')
  @HttpCode(202)
  async apply(
    @Param('id', new TypeBoxPipe(Id('posting id'), 'posting id')) postingId: string,
    @Body() raw: unknown,
  ): Promise<ApplicationReceipt> {
    const applicant: ApplicationInput = new TypeBoxPipe(ApplicationInput).transform(normalizeBody(raw));
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
      },
      'ingest',
    );
    await this.publisher.publish([event]);
    return { applicationId, receiptToken: receipt.token, status: 'pending' };
  }
}
