import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { PostingCountersSchema } from '../analytics.responses';
import { Id } from '@jobstream/contracts';
import { TypeBoxPipe } from '@jobstream/platform/typebox.pipe';
import { ApiRoute } from '@jobstream/platform/openapi';
import { CacheControl } from '@jobstream/platform/cache-control';
import { EngagementRepository, type PostingCounters } from './engagement.repository';

@Controller('v1/postings')
export class PostingStatsController {
  constructor(private readonly repository: EngagementRepository) {}

  /** Exact counters (unique viewers: HyperLogLog estimate), trending score and the last 30 days. */
  @ApiRoute({
    summary: 'Engagement counters of a posting',
    description: 'Views, unique viewers (HyperLogLog estimate), apply clicks, scraps, mock applicants, the trending score and the last 30 days.',
    params: { id: Id('posting id') },
    responses: { 200: { description: 'The counters', schema: PostingCountersSchema }, 400: 'Bad posting id', 404: 'No engagement or posting' },
  })
  @CacheControl()
  @Get(':id/stats')
  async stats(@Param('id', new TypeBoxPipe(Id('posting id'), 'posting id')) postingId: string): Promise<PostingCounters> {
    const [counters] = await this.repository.countersOf([postingId]);
    if (!counters) throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: `No engagement or posting ${postingId}` });
    return counters;
  }
}
