import { Controller, Get, Inject, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiRoute } from '@jobstream/platform/openapi';
import { CacheControl } from '@jobstream/platform/cache-control';
import { Id } from '@jobstream/contracts';
import { InvalidInputException } from '@jobstream/platform/http-errors';
import { TypeBoxPipe } from '@jobstream/platform/typebox.pipe';
import { CompaniesRepository } from '../companies/companies.repository';
import { LISTINGS_PUBLIC_URL } from '../listings.tokens';
import { toJobPostingJsonLd } from './jsonld.util';
import { buildPage, type PostingPage } from './page';
import { PostingsRepository, type PostingView, type SearchPage } from './postings.repository';
import { SearchQueryInput } from './search.query.schema';
import { decodeCursor, type SearchQuery } from './search.util';

const idPipe = new TypeBoxPipe(Id('posting id'), 'posting id');

@Controller('v1/postings')
export class PostingsController {
  constructor(
    private readonly postings: PostingsRepository,
    private readonly companies: CompaniesRepository,
    @Inject(LISTINGS_PUBLIC_URL) private readonly publicUrl: string,
  ) {}

  /** Keyword search with filters, newest (or trending) first, cursor-paginated. */
  @ApiRoute({ summary: 'Search open postings: keywords, filters, recent or trending, cursor pages', query: SearchQueryInput, responses: { 200: '{items, nextCursor}', 400: 'Invalid query, naming the parameter' } })
  @CacheControl()
  @Get()
  search(@Query(new TypeBoxPipe(SearchQueryInput, 'query')) input: SearchQueryInput): Promise<SearchPage> {
    const sort = input.sort ?? 'recent';
    const cursor = input.cursor ? decodeCursor(input.cursor, sort) : undefined;
    if (input.cursor && !cursor) throw new InvalidInputException('query', [{ path: '/cursor', message: `is not a cursor of a ${sort} search` }]);
    const query: SearchQuery = {
      q: input.q,
      location: input.location,
      workplaceType: input.workplaceType,
      employmentType: input.employmentType,
      skills: input.skills?.split(',').map((s) => s.trim()).filter(Boolean),
      companyId: input.companyId,
      postedAfter: input.postedAfter ? new Date(input.postedAfter) : undefined,
      sort,
      limit: input.limit ? Number(input.limit) : 20,
      cursor,
    };
    return this.postings.search(query);
  }

  /** The whole posting page: posting, company panel, counters, review/salary/interview summaries. */
  @ApiRoute({ summary: 'The whole posting page: posting, company panel, counters, review/salary/interview summaries', params: { id: Id('posting id') }, responses: { 200: 'The page', 404: 'Unknown posting (or a draft)' } })
  @CacheControl()
  @Get(':id')
  async page(@Param('id', idPipe) id: string): Promise<PostingPage> {
    const posting = await this.visible(id);
    return buildPage(posting, await this.companies.findById(posting.companyId));
  }

  @ApiRoute({ summary: 'The posting as schema.org JobPosting JSON-LD', params: { id: Id('posting id') }, responses: { 200: 'JSON-LD', 404: 'Unknown posting' } })
  @CacheControl()
  @Get(':id/jsonld')
  async jsonLd(@Param('id', idPipe) id: string): Promise<Record<string, unknown>> {
    const posting = await this.visible(id);
    const company = await this.companies.findById(posting.companyId);
    return toJobPostingJsonLd(posting.snapshot, company, `${this.publicUrl}/v1/postings/${encodeURIComponent(id)}`);
  }

  /** Published, closed and expired postings are readable by id; drafts are not public. */
  private async visible(id: string): Promise<PostingView> {
    const posting = await this.postings.findById(id);
    if (!posting || posting.status === 'draft') throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: `No posting ${id}` });
    return posting;
  }
}
