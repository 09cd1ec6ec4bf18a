import { BadRequestException, Controller, Get, Inject, NotFoundException, Param, Query, UseGuards } from '@nestjs/common';
import { JobPostingJsonLd, PostingPageSchema, SearchPageSchema, SimilarSchema } from '../listings.responses';
import { ApiRoute } from '@jobstream/platform/openapi';
import { CacheControl } from '@jobstream/platform/cache-control';
import { Id } from '@jobstream/contracts';
import { InvalidInputException } from '@jobstream/platform/http-errors';
import { TypeBoxPipe } from '@jobstream/platform/typebox.pipe';
import { LISTINGS_PUBLIC_URL } from '../listings.tokens';
import { toJobPostingJsonLd } from './jsonld.util';
import { buildPage, companyPanel, type PostingPage } from './page';
import { PageReader, type IndexedCompany, type IndexedPosting } from '../search/page.reader';
import { SearchQueryInput, SimilarQueryInput } from './search.query.schema';
import { SearchRefusedError } from '../search/opensearch.gateway';
import { decodeSearchCursor, type SearchRequest } from '../search/search.query';
import { SearchRateLimitGuard } from '../search/search-rate-limit.guard';
import { SearchService, isMissingContext, type SearchItem, type SearchResultPage } from '../search/search.service';

const idPipe = new TypeBoxPipe(Id('posting id'), 'posting id');

@Controller('v1/postings')
export class PostingsController {
  constructor(
    private readonly pages: PageReader,
    private readonly searchService: SearchService,
    @Inject(LISTINGS_PUBLIC_URL) private readonly publicUrl: string,
  ) {}

  /** Keyword search on OpenSearch: relevance, typos, highlights, facets, filters, stable cursor pages. */
  @ApiRoute({
    summary: 'Search open postings: BM25 relevance with typo tolerance, highlights, facet counts, filters, relevance/recent/trending order, cursor pages',
    query: SearchQueryInput,
    responses: { 200: { description: 'items (with highlights when q is given), nextCursor, total, facets', schema: SearchPageSchema }, 400: 'Invalid query (naming the parameter), an expired cursor, or a query the engine refused', 429: 'Search rate limit exceeded (Retry-After)' },
  })
  @UseGuards(SearchRateLimitGuard)
  @CacheControl()
  @Get()
  async search(@Query(new TypeBoxPipe(SearchQueryInput, 'query')) input: SearchQueryInput): Promise<SearchResultPage> {
    const sort = input.sort ?? (input.q && input.q.trim() ? 'relevance' : 'recent');
    const cursor = input.cursor ? decodeSearchCursor(input.cursor, sort) : undefined;
    if (input.cursor && !cursor) throw new InvalidInputException('query', [{ path: '/cursor', message: `is not a cursor of a ${sort} search` }]);
    const request: SearchRequest = {
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
    return this.refusalsAre400(() => this.searchService.search(request));
  }

  /** "Similar jobs" for the posting page's sidebar. */
  @ApiRoute({ summary: 'Open postings similar to this one (more like this over title, skills and description)', params: { id: Id('posting id') }, query: SimilarQueryInput, responses: { 200: { description: 'Up to limit similar open postings', schema: SimilarSchema }, 400: 'The search engine refused the query', 404: 'Unknown posting (or a draft)', 429: 'Search rate limit exceeded (Retry-After)' } })
  @UseGuards(SearchRateLimitGuard)
  @Get(':id/similar')
  async similar(@Param('id', idPipe) id: string, @Query(new TypeBoxPipe(SimilarQueryInput, 'query')) input: SimilarQueryInput): Promise<{ items: SearchItem[] }> {
    const items = await this.refusalsAre400(() => this.searchService.similar(id, input.limit ? Number(input.limit) : 5));
    if (!items) throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: `No posting ${id}` });
    return { items };
  }

  /** A query the engine refuses (or a cursor whose point in time expired) is the client's to fix: 400, never 5xx. */
  private async refusalsAre400<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      if (err instanceof SearchRefusedError) {
        throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: isMissingContext(err) ? 'The cursor has expired; start the search again' : `The search engine refused the query: ${err.reason.slice(0, 300)}` });
      }
      throw err;
    }
  }

  /** The whole posting page: posting, company panel, counters, review/salary/interview summaries. */
  @ApiRoute({ summary: 'The whole posting page: posting, company panel, counters, review/salary/interview summaries', params: { id: Id('posting id') }, responses: { 200: { description: 'The page', schema: PostingPageSchema }, 404: 'Unknown posting (or a draft)' } })
  @CacheControl()
  @Get(':id')
  async page(@Param('id', idPipe) id: string): Promise<PostingPage> {
    const { posting, company } = await this.visible(id);
    return buildPage(posting, company);
  }

  @ApiRoute({ summary: 'The posting as schema.org JobPosting JSON-LD', params: { id: Id('posting id') }, responses: { 200: { description: 'JSON-LD', schema: JobPostingJsonLd }, 404: 'Unknown posting (or a draft)' } })
  @CacheControl()
  @Get(':id/jsonld')
  async jsonLd(@Param('id', idPipe) id: string): Promise<Record<string, unknown>> {
    const { posting, company } = await this.visible(id);
    return toJobPostingJsonLd(posting.snapshot, companyPanel(company), `${this.publicUrl}/v1/postings/${encodeURIComponent(id)}`);
  }

  /** Published, closed and expired postings are readable by id; drafts are not public. */
  private async visible(id: string): Promise<{ posting: IndexedPosting; company: IndexedCompany | null }> {
    const found = await this.pages.postingWithCompany(id);
    if (!found || found.posting.snapshot.status === 'draft') throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: `No posting ${id}` });
    return found;
  }
}
