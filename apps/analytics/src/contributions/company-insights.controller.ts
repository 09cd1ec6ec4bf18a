import { Controller, Get, Param, Query } from '@nestjs/common';
import { InterviewsSchema, ReviewsSchema, SalariesSchema } from '../analytics.responses';
import { Type, type Static } from '@sinclair/typebox';
import { Id } from '@jobstream/contracts';
import { TypeBoxPipe } from '@jobstream/platform/typebox.pipe';
import { ApiRoute } from '@jobstream/platform/openapi';
import { CacheControl } from '@jobstream/platform/cache-control';
import { ContributionsRepository } from './contributions.repository';

const companyIdPipe = new TypeBoxPipe(Id('company id'), 'company id');

const ReviewPageQuery = Type.Object(
  {
    limit: Type.Optional(Type.String({ pattern: '^(?:[1-9]|[1-4][0-9]|50)$', description: '1 to 50 (default 10)' })),
    cursor: Type.Optional(Type.String({ pattern: '^[0-9a-f-]{36}$', description: 'nextCursor of the previous page' })),
  },
  { additionalProperties: false },
);
type ReviewPageQuery = Static<typeof ReviewPageQuery>;

/** Company summaries as maintained by the consumer (never aggregated at read time). */
@Controller('v1/companies/:id')
export class CompanyInsightsController {
  constructor(private readonly repository: ContributionsRepository) {}

  @ApiRoute({ summary: 'Salary summary of a company by role: percentiles of total compensation', params: { id: Id('company id') }, responses: { 200: { description: 'The summary', schema: SalariesSchema }, 400: 'Bad company id' } })
  @CacheControl()
  @Get('salaries')
  async salaries(@Param('id', companyIdPipe) companyId: string) {
    const [insights] = await this.repository.insightsOf([companyId]);
    return { companyId, ...insights.salaries };
  }

  @ApiRoute({ summary: 'Review summary of a company and its latest reviews, newest first', params: { id: Id('company id') }, query: ReviewPageQuery, responses: { 200: { description: 'The summary and a page of reviews', schema: ReviewsSchema }, 400: 'Bad company id or query' } })
  @CacheControl()
  @Get('reviews')
  async reviews(@Param('id', companyIdPipe) companyId: string, @Query(new TypeBoxPipe(ReviewPageQuery, 'query')) query: ReviewPageQuery) {
    const [insights] = await this.repository.insightsOf([companyId]);
    const page = await this.repository.latestReviews(companyId, Number(query.limit ?? 10), query.cursor);
    return { companyId, summary: insights.reviews, ...page };
  }

  @ApiRoute({ summary: 'Interview summary of a company: difficulty, duration, experience, steps and questions', params: { id: Id('company id') }, responses: { 200: { description: 'The summary', schema: InterviewsSchema }, 400: 'Bad company id' } })
  @CacheControl()
  @Get('interviews')
  async interviews(@Param('id', companyIdPipe) companyId: string) {
    const [insights] = await this.repository.insightsOf([companyId]);
    return { companyId, ...insights.interviews };
  }
}
