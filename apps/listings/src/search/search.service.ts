import { Inject, Injectable } from '@nestjs/common';
import type { PostingSnapshot } from '@jobstream/contracts';
import type { PostingCounters } from './page.reader';
import type { SearchIndex } from './search-index';
import { SearchRefusedError, SearchUnavailableError, type OpenSearchGateway } from './opensearch.gateway';
import { canTakeTypos, encodeSearchCursor, facetsBody, facetsOf, mergeHighlights, searchBody, similarBody, type Bucket, type Facets, type SearchRequest } from './search.query';
import { OPENSEARCH, SEARCH_INDEX } from './search.tokens';

/** How long a point in time (a frozen view for relevance/trending cursor pages) stays open after each page. */
const PIT_KEEP_ALIVE = '1m';
/** How long no point in time is asked after the engine refused one. */
const PIT_PAUSE_MS = 5000;

interface Hit {
  _id: string;
  _source: { snapshot: PostingSnapshot; companyName?: string; stats?: PostingCounters };
  sort?: (string | number)[];
  highlight?: Record<string, string[]>;
}

interface SearchAnswer {
  hits: { hits: Hit[] };
  pit_id?: string;
}

interface FacetsAnswer {
  hits: { total: { value: number } };
  aggregations?: Record<string, { buckets: Bucket[] }>;
}

export type SearchItem = PostingSnapshot & { companyName?: string; stats?: PostingCounters; highlights?: Record<string, string[]> };

export interface SearchResultPage {
  items: SearchItem[];
  nextCursor: string | null;
  /** Every match, not just this page. */
  total: number;
  facets: Facets;
}

const itemOf = (h: Hit): SearchItem => ({
  ...h._source.snapshot,
  ...(h._source.companyName ? { companyName: h._source.companyName } : {}),
  ...(h._source.stats ? { stats: h._source.stats } : {}),
  ...(h.highlight ? { highlights: mergeHighlights(h.highlight) } : {}),
});

const isMissingIndex = (err: unknown) => err instanceof SearchRefusedError && err.status === 404 && err.type === 'index_not_found_exception';

/** Search and similar postings, read from OpenSearch through the alias. */
@Injectable()
export class SearchService {
  private pitPausedUntil = 0;

  constructor(
    @Inject(OPENSEARCH) private readonly os: OpenSearchGateway,
    @Inject(SEARCH_INDEX) private readonly index: SearchIndex,
  ) {}

  async search(r: SearchRequest): Promise<SearchResultPage> {
    const typos = r.cursor?.t === 1;
    let page = await this.searchPass(r, typos);
    // Words matched as written found nothing: search again with typos (see textClauses).
    if (!r.cursor && !typos && page.total === 0 && canTakeTypos(r.q)) page = await this.searchPass(r, true);
    return page;
  }

  /**
   * One page of hits and, in the same request, the facets and total of the whole search. On a later
   * page the total and facets are the index's now, not the point in time's the hits page through.
   */
  private async searchPass(r: SearchRequest, typos: boolean): Promise<SearchResultPage> {
    const pit = r.cursor?.p;
    // Scores and trending counters move while a client pages; a point in time, taken as the first
    // page is read, keeps the later pages on one view. It is opened beside the first page, not after
    // it on the search's path, and closed again if no page follows. Recent order is by immutable keys
    // and needs none. It never rejects: it may settle while nothing awaits it yet, and only the
    // cursor's stability depends on it, never the page.
    const opening = !pit && r.sort !== 'recent' ? this.openPit().catch(() => undefined) : undefined;
    let answer: SearchAnswer;
    let facets: FacetsAnswer;
    try {
      const body = searchBody(r, typos);
      [answer, facets] = (await this.os.msearch([
        pit ? { body: { ...body, pit: { id: pit, keep_alive: PIT_KEEP_ALIVE } } } : { index: this.index.alias, body },
        { index: this.index.alias, body: facetsBody(r, typos) },
      ])) as [SearchAnswer, FacetsAnswer];
    } catch (err) {
      this.discardPit(opening);
      if (isMissingIndex(err)) return { items: [], nextCursor: null, total: 0, facets: facetsOf(undefined) };
      throw err;
    }
    const hits = answer.hits.hits;
    const page = hits.slice(0, r.limit);
    const last = page[page.length - 1];
    let nextCursor: string | null = null;
    if (hits.length > r.limit && last?.sort) {
      const nextPit = answer.pit_id ?? pit ?? (await opening);
      nextCursor = encodeSearchCursor({ s: r.sort, a: last.sort, ...(nextPit ? { p: nextPit } : {}), ...(typos ? { t: 1 as const } : {}) });
    } else {
      this.discardPit(opening);
    }
    return { items: page.map(itemOf), nextCursor, total: facets.hits.total.value, facets: facetsOf(facets.aggregations) };
  }

  /** Closes a point in time no cursor will carry, in the background (it would otherwise count against the engine's cap until it expires). */
  private discardPit(opening: Promise<string | undefined> | undefined): void {
    void opening?.then((id) => (id ? this.os.call('DELETE', '/_search/point_in_time', { pit_id: [id] }) : undefined)).catch(() => undefined); // expires anyway
  }

  /**
   * A point in time on the alias, or none: the engine caps open ones (search.max_open_pit_context,
   * 300 by default; each lives PIT_KEEP_ALIVE after its last page), and cursors then page without a
   * frozen view. After a refusal none is asked for PIT_PAUSE_MS, so a search burst doesn't pay a
   * refused round trip per search. Only a cursor's stability depends on it, never the page itself.
   */
  private async openPit(): Promise<string | undefined> {
    if (Date.now() < this.pitPausedUntil) return undefined;
    try {
      const { body } = await this.os.call<{ pit_id: string }>('POST', `/${this.index.alias}/_search/point_in_time`, undefined, { querystring: { keep_alive: PIT_KEEP_ALIVE } });
      return body.pit_id;
    } catch (err) {
      if (!(err instanceof SearchRefusedError || err instanceof SearchUnavailableError)) throw err;
      this.pitPausedUntil = Date.now() + PIT_PAUSE_MS;
      return undefined;
    }
  }

  /** Published postings most like this one; undefined when the posting isn't in the index. */
  async similar(postingId: string, limit: number): Promise<SearchItem[] | undefined> {
    let doc: { found: boolean; _source?: { title?: string; description?: string; skills?: string[]; kind?: string; status?: string } };
    try {
      ({ body: doc } = await this.os.call<typeof doc>('GET', `/${this.index.alias}/_doc/${encodeURIComponent(postingId)}`, undefined, { ignore: [404], querystring: { _source_includes: 'title,description,skills,kind,status' } }));
    } catch (err) {
      if (isMissingIndex(err)) return undefined;
      throw err;
    }
    const s = doc._source;
    if (!doc.found || s?.kind !== 'posting' || !s.status || s.status === 'draft') return undefined;
    const { body } = await this.os.call<SearchAnswer>('POST', `/${this.index.alias}/_search`, similarBody({ title: s.title ?? '', description: s.description ?? '', skills: s.skills ?? [] }, postingId, limit));
    return body.hits.hits.map(itemOf);
  }
}
