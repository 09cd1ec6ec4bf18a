import { Body, Controller, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ReportPublished, ReviewPublished } from '../ingest.responses';
import { ApiRoute } from '@jobstream/platform/openapi';
import { v7 as uuidv7 } from 'uuid';
import { Id, createEvent } from '@jobstream/contracts';
import { EventPublisher } from '@jobstream/messaging/event-publisher';
import { TypeBoxPipe } from '@jobstream/platform/typebox.pipe';
import { PublicRateLimitGuard } from '../rate-limit/rate-limit.guard';
import { InterviewInput, ReviewInput, SalaryInput } from './contribution.input.schema';

const companyIdPipe = new TypeBoxPipe(Id('company id'), 'company id');

/** Public contributions from job seekers (no API key, rate-limited per client). */
@Controller('v1/companies/:id')
@UseGuards(PublicRateLimitGuard)
export class ContributionsController {
  constructor(private readonly publisher: EventPublisher) {}

  @ApiRoute({ summary: 'Report a salary (salary.reported)', params: { id: Id('company id') }, body: SalaryInput, responses: { 202: { description: 'Published', schema: ReportPublished }, 400: 'Invalid body, naming the fields', 429: 'Rate limited', 503: 'Kafka unavailable' } })
  @Post('salaries')
  @HttpCode(202)
  async salary(@Param('id', companyIdPipe) companyId: string, @Body(new TypeBoxPipe(SalaryInput)) body: SalaryInput) {
    const { reportId = uuidv7(), ...fields } = body;
    const event = createEvent('salary.reported', { reportId, companyId, ...fields }, 'ingest');
    await this.publisher.publish([event]);
    return { eventId: event.id, reportId };
  }

  @ApiRoute({ summary: 'Review the company (review.submitted)', params: { id: Id('company id') }, body: ReviewInput, responses: { 202: { description: 'Published', schema: ReviewPublished }, 400: 'Invalid body, naming the fields', 429: 'Rate limited', 503: 'Kafka unavailable' } })
  @Post('reviews')
  @HttpCode(202)
  async review(@Param('id', companyIdPipe) companyId: string, @Body(new TypeBoxPipe(ReviewInput)) body: ReviewInput) {
    const { reviewId = uuidv7(), ...fields } = body;
    const event = createEvent('review.submitted', { reviewId, companyId, ...fields }, 'ingest');
    await this.publisher.publish([event]);
    return { eventId: event.id, reviewId };
  }

  @ApiRoute({ summary: 'Report an interview (interview.reported)', params: { id: Id('company id') }, body: InterviewInput, responses: { 202: { description: 'Published', schema: ReportPublished }, 400: 'Invalid body, naming the fields', 429: 'Rate limited', 503: 'Kafka unavailable' } })
  @Post('interviews')
  @HttpCode(202)
  async interview(@Param('id', companyIdPipe) companyId: string, @Body(new TypeBoxPipe(InterviewInput)) body: InterviewInput) {
    const { reportId = uuidv7(), ...fields } = body;
    const event = createEvent('interview.reported', { reportId, companyId, ...fields }, 'ingest');
    await this.publisher.publish([event]);
    return { eventId: event.id, reportId };
  }
}
