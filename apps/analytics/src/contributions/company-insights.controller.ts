import { Controller, Get, Param, Query } from '@nestjs/common';
import { Type, type Static } from '@sinclair/typebox';
import { Id } from '@jobstream/contracts';
import { TypeBoxPipe } from '@jobstream/platform/typebox.pipe';
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

  @Get('salaries')
  async salaries(@Param('id', companyIdPipe) companyId: string) {
    const [insights] = await this.repository.insightsOf([companyId]);
    return { companyId, ...insights.salaries };
  }

  @Get('reviews')
  async reviews(@Param('id', companyIdPipe) companyId: string, @Query(new TypeBoxPipe(ReviewPageQuery, 'query')) query: ReviewPageQuery) {
    const [insights] = await this.repository.insightsOf([companyId]);
    const page = await this.repository.latestReviews(companyId, Number(query.limit ?? 10), query.cursor);
    return { companyId, summary: insights.reviews, ...page };
  }

  @Get('interviews')
  async interviews(@Param('id', companyIdPipe) companyId: string) {
    const [insights] = await this.repository.insightsOf([companyId]);
    return { companyId, ...insights.interviews };
  }
}
