import { Controller, Get, Query } from '@nestjs/common';
import { TrendingCompaniesSchema, TrendingPostingsSchema } from '../analytics.responses';
import { Type, type Static } from '@sinclair/typebox';
import { TypeBoxPipe } from '@jobstream/platform/typebox.pipe';
import { ApiRoute } from '@jobstream/platform/openapi';
import { CacheControl } from '@jobstream/platform/cache-control';
import { TrendingRepository } from './trending.repository';

const TrendingQuery = Type.Object(
  { limit: Type.Optional(Type.String({ pattern: '^(?:[1-9]|[1-9][0-9]|100)$', description: '1 to 100 (default 10)' })) },
  { additionalProperties: false },
);
type TrendingQuery = Static<typeof TrendingQuery>;

/** The "Trending Jobs" and "Trending Companies" sidebars, highest decayed score first. */
@Controller('v1/trending')
export class TrendingController {
  constructor(private readonly repository: TrendingRepository) {}

  @ApiRoute({ summary: 'Trending postings, highest decayed engagement score first', query: TrendingQuery, responses: { 200: { description: 'The trending postings', schema: TrendingPostingsSchema }, 400: 'Bad query' } })
  @CacheControl()
  @Get('postings')
  async postings(@Query(new TypeBoxPipe(TrendingQuery, 'query')) query: TrendingQuery) {
    return { items: await this.repository.postings(Number(query.limit ?? 10)) };
  }

  @ApiRoute({ summary: 'Trending companies, highest decayed engagement score first', query: TrendingQuery, responses: { 200: { description: 'The trending companies', schema: TrendingCompaniesSchema }, 400: 'Bad query' } })
  @CacheControl()
  @Get('companies')
  async companies(@Query(new TypeBoxPipe(TrendingQuery, 'query')) query: TrendingQuery) {
    return { items: await this.repository.companies(Number(query.limit ?? 10)) };
  }
}
