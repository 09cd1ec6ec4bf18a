import { BadRequestException, Body, Controller, Delete, HttpCode, Param, Post, Put, UseGuards } from '@nestjs/common';
import { BeaconAnswer, Published } from '../ingest.responses';
import { ApiRoute } from '@jobstream/platform/openapi';
import type { Request } from 'express';
import { Id, PseudonymousId, createEvent, validate, type AnyEvent, type ValidationIssue } from '@jobstream/contracts';
import { EventPublisher } from '@jobstream/messaging/event-publisher';
import { TypeBoxPipe } from '@jobstream/platform/typebox.pipe';
import { PublicRateLimitGuard, RateCostOf } from '../rate-limit/rate-limit.guard';
import { BeaconInput, BeaconItem, EngagementKinds, ViewerInput, type EngagementKind } from './engagement.input.schema';

const postingIdPipe = new TypeBoxPipe(Id('posting id'), 'posting id');
const viewerIdPipe = new TypeBoxPipe(PseudonymousId('viewer id'), 'viewer id');

export type BeaconResult = { index: number; eventId: string } | { index: number; issues: ValidationIssue[] };

/** Public engagement routes (no API key): each answers 202 once the broker has the event. */
@Controller('v1')
@UseGuards(PublicRateLimitGuard)
export class EngagementController {
  constructor(private readonly publisher: EventPublisher) {}

  private async one(kind: EngagementKind, postingId: string, viewerId: string): Promise<{ eventId: string }> {
    const event = createEvent(EngagementKinds[kind], { postingId, viewerId }, 'ingest');
    await this.publisher.publish([event]);
    return { eventId: event.id };
  }

  @ApiRoute({ summary: 'A viewer opened the posting (posting.viewed)', params: { id: Id('posting id') }, body: ViewerInput, responses: { 202: { description: 'Published', schema: Published }, 400: 'Invalid body', 429: 'Rate limited; see Retry-After', 503: 'Kafka unavailable' } })
  @Post('postings/:id/views')
  @HttpCode(202)
  view(@Param('id', postingIdPipe) postingId: string, @Body(new TypeBoxPipe(ViewerInput)) body: ViewerInput) {
    return this.one('view', postingId, body.viewerId);
  }

  @ApiRoute({ summary: 'A viewer clicked apply (posting.apply-clicked)', params: { id: Id('posting id') }, body: ViewerInput, responses: { 202: { description: 'Published', schema: Published }, 400: 'Invalid body', 429: 'Rate limited; see Retry-After', 503: 'Kafka unavailable' } })
  @Post('postings/:id/apply-clicks')
  @HttpCode(202)
  applyClick(@Param('id', postingIdPipe) postingId: string, @Body(new TypeBoxPipe(ViewerInput)) body: ViewerInput) {
    return this.one('apply-click', postingId, body.viewerId);
  }

  /** Bookmarks are a per-viewer state: scrapping twice still counts once (analytics keeps the set). */
  @ApiRoute({ summary: 'Bookmark the posting (posting.scrapped; idempotent per viewer)', params: { id: Id('posting id') }, body: ViewerInput, responses: { 202: { description: 'Published', schema: Published }, 400: 'Invalid body', 429: 'Rate limited; see Retry-After', 503: 'Kafka unavailable' } })
  @Post('postings/:id/scraps')
  @HttpCode(202)
  scrap(@Param('id', postingIdPipe) postingId: string, @Body(new TypeBoxPipe(ViewerInput)) body: ViewerInput) {
    return this.one('scrap', postingId, body.viewerId);
  }

  @ApiRoute({ summary: 'Bookmark the posting (posting.scrapped)', params: { id: Id('posting id'), viewerId: PseudonymousId('viewer id') }, responses: { 202: { description: 'Published', schema: Published }, 400: 'Invalid id', 429: 'Rate limited; see Retry-After', 503: 'Kafka unavailable' } })
  @Put('postings/:id/scraps/:viewerId')
  @HttpCode(202)
  putScrap(@Param('id', postingIdPipe) postingId: string, @Param('viewerId', viewerIdPipe) viewerId: string) {
    return this.one('scrap', postingId, viewerId);
  }

  @ApiRoute({ summary: 'Remove the bookmark (posting.unscrapped)', params: { id: Id('posting id'), viewerId: PseudonymousId('viewer id') }, responses: { 202: { description: 'Published', schema: Published }, 400: 'Invalid id', 429: 'Rate limited; see Retry-After', 503: 'Kafka unavailable' } })
  @Delete('postings/:id/scraps/:viewerId')
  @HttpCode(202)
  unscrap(@Param('id', postingIdPipe) postingId: string, @Param('viewerId', viewerIdPipe) viewerId: string) {
    return this.one('unscrap', postingId, viewerId);
  }

  @ApiRoute({ summary: 'A mock application (posting.mock-applied; distinct per viewer)', params: { id: Id('posting id') }, body: ViewerInput, responses: { 202: { description: 'Published', schema: Published }, 400: 'Invalid body', 429: 'Rate limited; see Retry-After', 503: 'Kafka unavailable' } })
  @Post('postings/:id/mock-applications')
  @HttpCode(202)
  mockApply(@Param('id', postingIdPipe) postingId: string, @Body(new TypeBoxPipe(ViewerInput)) body: ViewerInput) {
    return this.one('mock-application', postingId, body.viewerId);
  }

  /**
   * Batch beacon (e.g. navigator.sendBeacon on page hide). Valid items are published together and
   * acknowledged together; invalid ones are reported by index and never published.
   */
  @ApiRoute({ summary: 'A beacon of many engagement events, answered per item', body: BeaconInput, responses: { 202: { description: 'Per-item results; valid items were published together', schema: BeaconAnswer }, 400: 'No valid item', 429: 'Rate limited; see Retry-After', 503: 'Kafka unavailable: nothing was published' } })
  @Post('engagement/batch')
  @HttpCode(202)
  @RateCostOf((req: Request) => {
    const events = (req.body as { events?: unknown } | undefined)?.events;
    return Array.isArray(events) ? Math.min(events.length, 10_000) : 1;
  })
  async batch(@Body(new TypeBoxPipe(BeaconInput)) body: BeaconInput): Promise<{ accepted: number; rejected: number; results: BeaconResult[] }> {
    const results: BeaconResult[] = [];
    const events: AnyEvent[] = [];
    body.events.forEach((raw, index) => {
      const item = validate(BeaconItem, raw);
      if (!item.ok) {
        results.push({ index, issues: item.issues.map((i) => ({ ...i, path: `/events/${index}${i.path}` })) });
        return;
      }
      const event = createEvent(EngagementKinds[item.value.type], { postingId: item.value.postingId, viewerId: item.value.viewerId }, 'ingest');
      events.push(event);
      results.push({ index, eventId: event.id });
    });
    if (events.length === 0) {
      const issues = results.flatMap((r) => ('issues' in r ? r.issues : []));
      throw new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        message: `No valid engagement item: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`,
        issues,
        results,
      });
    }
    await this.publisher.publish(events);
    return { accepted: events.length, rejected: results.length - events.length, results };
  }
}
