import { Inject, Injectable } from '@nestjs/common';
import { counter } from '@jobstream/platform/metrics';
import type { PostingCounters } from './page.reader';
import type { SearchIndex } from './search-index';
import { SearchRefusedError, SearchUnavailableError, answerOf, type MultiSearch, type OpenSearchGateway, type SearchOutcome } from './opensearch.gateway';
import { canTakeTypos, encodeSearchCursor, facetsBody, facetsOf, hitsSearch, mergeHighlights, searchBody, similarBody, type Bucket, type Facets, type PostingSummary, type SearchRequest } from './search.query';
import { OPENSEARCH, SEARCH_INDEX } from './search.tokens';

/** How long a point in time (a frozen view for relevance/trending cursor pages) stays open after each page. */
const PIT_KEEP_ALIVE = '1m';
/**
 * How long one point in time is shared by the first pages of every relevance/trending search: at
 * most two are opened a second per replica, whatever the search rate, so the engine's cap on open
 * ones (300 by default, each kept PIT_KEEP_ALIVE) is never reached by first pages alone. The price:
 * such a first page may read a view up to this much older than the index's latest refresh.
 */
const PIT_SHARE_MS = 500;
/** How long no point in time is asked after the engine refused one. */
const PIT_PAUSE_MS = 5000;

const searches = counter({
  name: 'jobstream_searches_total',
  help: 'Searches answered, by whether they sent the engine their own request or shared the one an identical search already had in flight',
  labelNames: ['engine'],
});

interface Hit {
  _id: string;
  _source: { snapshot: PostingSummary; companyName?: string; stats?: PostingCounters };
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

/** A search hit: the posting's summary (its page has the rest), its company's name, counters and highlights. */
export type SearchItem = PostingSummary & { companyName?: string; stats?: PostingCounters; highlights?: Record<string, string[]> };

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

/** A point in time the engine no longer has (expired, or its index deleted by a rebuild). */
export const isMissingContext = (err: unknown) => err instanceof SearchRefusedError && (err.type === 'search_context_missing_exception' || /point in time|pit/i.test(err.reason));

interface SharedPit {
  openedAt: number;
  opening: Promise<string | undefined>;
  id?: string;
}

const isMissingIndex = (err: unknown) => err instanceof SearchRefusedError && err.status === 404 && err.type === 'index_not_found_exception';

/** Search and similar postings, read from OpenSearch through the alias. */
@Injectable()
export class SearchService {
  private pitPausedUntil = 0;
  private pit?: SharedPit;
  /** Facet counts being asked of the engine, by their query (see hitsAndFacets). */
  private readonly facetsInFlight = new Map<string, Promise<SearchOutcome | undefined>>();
  /** Whole searches being answered, by their request (see search). */
  private readonly searchesInFlight = new Map<string, Promise<SearchResultPage>>();

  constructor(
    @Inject(OPENSEARCH) private readonly os: OpenSearchGateway,
    @Inject(SEARCH_INDEX) private readonly index: SearchIndex,
  ) {}

  /**
   * A search identical to one in flight (same words, filters, sort, page size and cursor) takes
   * that one's answer instead of asking the engine again: popular searches (the board's front page,
   * a trending list) arrive many times at once, and each copy would cost the engine its full
   * search and listings a round trip and a parse. Nothing is kept once the engine has answered, so
   * a copy's answer is at most one engine round trip older than its own request's would have been.
   */
  search(r: SearchRequest): Promise<SearchResultPage> {
    const key = JSON.stringify(r);
    const inFlight = this.searchesInFlight.get(key);
    if (inFlight) {
      searches.inc({ engine: 'shared' });
      return inFlight;
    }
    searches.inc({ engine: 'own' });
    const answer = this.searchOnce(r);
    this.searchesInFlight.set(key, answer);
    const done = () => {
      if (this.searchesInFlight.get(key) === answer) this.searchesInFlight.delete(key);
    };
    answer.then(done, done);
    return answer;
  }

  private async searchOnce(r: SearchRequest): Promise<SearchResultPage> {
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
    // Scores and trending counters move while a client pages: relevance and trending pages read one
    // point in time from the first page on (recent order is by immutable keys and needs none). A
    // first page reads the shared one when it is young enough, so the first page and the next are
    // the same view; else it reads the live index while a new one is opened beside it (not after it
    // on the search's path), whose id the cursor carries.
    const shared = r.cursor || r.sort === 'recent' ? undefined : this.sharedPit();
    const pit = r.cursor?.p ?? shared?.ready;
    let answer: SearchAnswer;
    let facets: FacetsAnswer;
    try {
      const body = searchBody(r, typos);
      [answer, facets] = await this.hitsAndFacets(pit ? hitsSearch({ ...body, pit: { id: pit, keep_alive: PIT_KEEP_ALIVE } }) : hitsSearch(body, this.index.alias), facetsBody(r, typos));
    } catch (err) {
      if (isMissingIndex(err)) return { items: [], nextCursor: null, total: 0, facets: facetsOf(undefined) };
      // The shared view went with a rebuilt index (or expired): this first page reads the live index and opens another.
      if (shared?.ready && isMissingContext(err)) {
        if (this.pit?.id === shared.ready) this.pit = undefined;
        return this.searchPass(r, typos);
      }
      throw err;
    }
    const hits = answer.hits.hits;
    const page = hits.slice(0, r.limit);
    const last = page[page.length - 1];
    let nextCursor: string | null = null;
    if (hits.length > r.limit && last?.sort) {
      const nextPit = answer.pit_id ?? pit ?? (await shared?.opening);
      nextCursor = encodeSearchCursor({ s: r.sort, a: last.sort, ...(nextPit ? { p: nextPit } : {}), ...(typos ? { t: 1 as const } : {}) });
    }
    return { items: page.map(itemOf), nextCursor, total: facets.hits.total.value, facets: facetsOf(facets.aggregations) };
  }

  /**
   * The page's hits and the search's facets in one `_msearch`; or, while the same facets are
   * already being counted for another search, the hits alone and that search's counts. After a
   * refresh that changed the index the engine's cache has no counts, and each cold count of a
   * popular search (every facet over the whole index) costs it tens of milliseconds of CPU: without
   * this, every copy of that search arriving meanwhile paid them again.
   */
  private async hitsAndFacets(hits: MultiSearch, facetsQuery: Record<string, unknown>): Promise<[SearchAnswer, FacetsAnswer]> {
    const key = JSON.stringify(facetsQuery);
    const counting = this.facetsInFlight.get(key);
    if (counting) {
      // The counts' own refusal is this search's too; but the engine may refuse the other search's
      // whole request for that search's fault (a forged cursor), and then this one counts its own.
      const facets = counting.then(answerOf<FacetsAnswer>, (err: unknown) => {
        if (!(err instanceof SearchRefusedError)) throw err;
        return this.os.msearch([{ index: this.index.alias, body: facetsQuery }]).then(([f]) => f as FacetsAnswer);
      });
      const [answer, counted] = await Promise.all([this.os.msearch([hits]), facets]);
      return [answer[0] as SearchAnswer, counted];
    }
    const both = this.os.msearchEach([hits, { index: this.index.alias, body: facetsQuery }]);
    const outcome = both.then(([, f]) => f);
    this.facetsInFlight.set(key, outcome);
    const done = () => {
      if (this.facetsInFlight.get(key) === outcome) this.facetsInFlight.delete(key);
    };
    outcome.then(done, done);
    return Promise.all([both.then(([h]) => answerOf<SearchAnswer>(h)), outcome.then(answerOf<FacetsAnswer>)]);
  }

  /**
   * The point in time first pages share: `ready` when one opened less than PIT_SHARE_MS ago is
   * open, else `opening`, the one being opened (started now unless another first page started it).
   * It never rejects: only a cursor's stability depends on it, never the page.
   */
  private sharedPit(): { ready?: string; opening?: Promise<string | undefined> } {
    const now = Date.now();
    if (this.pit && now - this.pit.openedAt < PIT_SHARE_MS) return this.pit.id ? { ready: this.pit.id } : { opening: this.pit.opening };
    const pit: SharedPit = { openedAt: now, opening: this.openPit().catch(() => undefined) };
    void pit.opening.then((id) => {
      if (id) pit.id = id;
      else if (this.pit === pit) this.pit = undefined;
    });
    this.pit = pit;
    return { opening: pit.opening };
  }

  /**
   * A point in time on the alias, or none: the engine caps open ones (search.max_open_pit_context,
   * 300 by default), and cursors then page without a frozen view. After a refusal none is asked for
   * PIT_PAUSE_MS, so a burst doesn't pay a refused round trip per search.
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
    // A popular posting's sidebar is the same search on every view: cached until a refresh changes the index (see hitsSearch).
    const { body } = await this.os.call<SearchAnswer>('POST', `/${this.index.alias}/_search`, similarBody({ title: s.title ?? '', description: s.description ?? '', skills: s.skills ?? [] }, postingId, limit), { querystring: { request_cache: 'true' } });
    return body.hits.hits.map(itemOf);
  }
}
