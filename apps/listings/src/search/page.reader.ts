import { Inject, Injectable } from '@nestjs/common';
import type { CompanyInsightsUpdated, CompanyUpserted, PostingSnapshot, PostingStatsUpdated } from '@jobstream/contracts';
import type { SearchIndex } from './search-index';
import type { OpenSearchGateway } from './opensearch.gateway';
import { companyDocId } from './search.document';
import { OPENSEARCH, SEARCH_INDEX } from './search.tokens';

export type PostingCounters = Omit<PostingStatsUpdated, 'postingId' | 'companyId'>;
export type CompanyInsights = Omit<CompanyInsightsUpdated, 'companyId'>;

/** A posting as the index holds it for its page. */
export interface IndexedPosting {
  snapshot: PostingSnapshot;
  stats?: PostingCounters;
}

/** A company as the index holds it for the posting and company pages. */
export interface IndexedCompany {
  companyId: string;
  /** Absent while only summaries have arrived for a company whose profile has not. */
  profile?: Omit<CompanyUpserted, 'companyId'>;
  updatedAt?: string;
  insights?: CompanyInsights;
}

interface GetAnswer<T> {
  found?: boolean;
  _source?: T;
}

type PostingSource = { kind?: string; snapshot?: PostingSnapshot; stats?: PostingCounters };
type CompanySource = Omit<IndexedCompany, 'companyId'> & { kind?: string };
const POSTING_FIELDS = ['kind', 'snapshot', 'stats'] as const;
const COMPANY_FIELDS = ['kind', 'profile', 'updatedAt', 'insights'] as const;
/** Postings whose company a replica remembers for their pages (about 150 bytes each). */
const REMEMBERED_COMPANY_IDS = 50_000;

function postingOf(doc: PostingSource | null): IndexedPosting | null {
  if (doc?.kind !== 'posting' || !doc.snapshot) return null;
  return { snapshot: doc.snapshot, ...(doc.stats ? { stats: doc.stats } : {}) };
}

function companyOf(companyId: string, doc: CompanySource | null): IndexedCompany | null {
  if (doc?.kind !== 'company' || (!doc.profile && !doc.insights)) return null;
  return { companyId, ...(doc.profile ? { profile: doc.profile } : {}), ...(doc.updatedAt ? { updatedAt: doc.updatedAt } : {}), ...(doc.insights ? { insights: doc.insights } : {}) };
}

/**
 * Reads pages by id from the search index: a real-time GET, served from the index's translog as
 * soon as the projection wrote it (no refresh wait), in a few milliseconds whatever the corpus size.
 * The document store is never read per request (on FerretDB every lookup is a full scan).
 */
@Injectable()
export class PageReader {
  /** Each recently read posting's company (see postingWithCompany). */
  private readonly companyIds = new Map<string, string>();

  constructor(
    @Inject(OPENSEARCH) private readonly os: OpenSearchGateway,
    @Inject(SEARCH_INDEX) private readonly index: SearchIndex,
  ) {}

  async posting(postingId: string): Promise<IndexedPosting | null> {
    return postingOf(await this.get<PostingSource>(postingId, POSTING_FIELDS.join(',')));
  }

  async company(companyId: string): Promise<IndexedCompany | null> {
    return companyOf(companyId, await this.get<CompanySource>(companyDocId(companyId), COMPANY_FIELDS.join(',')));
  }

  /**
   * A posting and its company, as its page shows them. The company's id is known only once the
   * posting is read, so a first view takes two real-time GETs one after the other; the posting's
   * company is then remembered, and later views read both in one `_mget`: one round trip instead
   * of two. The remembered id is only a hint: a posting whose answer names another company has
   * that company read.
   */
  async postingWithCompany(postingId: string): Promise<{ posting: IndexedPosting; company: IndexedCompany | null } | null> {
    const hint = this.companyIds.get(postingId);
    let posting: IndexedPosting | null;
    let company: IndexedCompany | null | undefined;
    if (hint === undefined) posting = await this.posting(postingId);
    else {
      const [p, c] = await this.getBoth<PostingSource, CompanySource>([postingId, POSTING_FIELDS], [companyDocId(hint), COMPANY_FIELDS]);
      posting = postingOf(p);
      if (posting?.snapshot.companyId === hint) company = companyOf(hint, c);
    }
    if (!posting) {
      this.companyIds.delete(postingId);
      return null;
    }
    this.remember(postingId, posting.snapshot.companyId);
    return { posting, company: company !== undefined ? company : await this.company(posting.snapshot.companyId) };
  }

  /** Least recently read first (a Map keeps insertion order): a read moves the posting to the end. */
  private remember(postingId: string, companyId: string): void {
    this.companyIds.delete(postingId);
    this.companyIds.set(postingId, companyId);
    if (this.companyIds.size > REMEMBERED_COMPANY_IDS) this.companyIds.delete(this.companyIds.keys().next().value as string);
  }

  /** A company's open postings, newest first (searchable ones: they appear within a refresh interval). */
  async openPostingsOf(companyId: string, limit: number): Promise<PostingSnapshot[]> {
    const { status, body } = await this.os.call<{ hits?: { hits: { _source: { snapshot: PostingSnapshot } }[] } }>(
      'POST',
      `/${this.index.alias}/_search`,
      {
        size: limit,
        _source: ['snapshot'],
        query: { bool: { filter: [{ term: { kind: 'posting' } }, { term: { companyId } }, { term: { status: 'published' } }] } },
        sort: [{ postedAt: 'desc' }, { postingId: 'desc' }],
      },
      // The same search on every view of the company's page: cached until a refresh changes the index (see hitsSearch).
      { ignore: [404], querystring: { request_cache: 'true' } },
    );
    return status === 404 ? [] : (body.hits?.hits ?? []).map((h) => h._source.snapshot);
  }

  /** One document through the alias; null when it, or the index itself (nothing projected yet), is missing. */
  private async get<T>(id: string, fields: string): Promise<T | null> {
    const { status, body } = await this.os.call<GetAnswer<T>>('GET', `/${this.index.alias}/_doc/${encodeURIComponent(id)}`, undefined, { ignore: [404], querystring: { _source_includes: fields } });
    return status === 200 && body.found && body._source ? body._source : null;
  }

  /** Two documents through the alias in one real-time `_mget`, each with its own fields; null for a missing one. */
  private async getBoth<A, B>([idA, fieldsA]: [string, readonly string[]], [idB, fieldsB]: [string, readonly string[]]): Promise<[A | null, B | null]> {
    const { status, body } = await this.os.call<{ docs?: GetAnswer<unknown>[] }>('POST', `/${this.index.alias}/_mget`, { docs: [{ _id: idA, _source: fieldsA }, { _id: idB, _source: fieldsB }] }, { ignore: [404] });
    const found = (d: GetAnswer<unknown> | undefined) => (status === 200 && d?.found && d._source ? d._source : null);
    return [found(body.docs?.[0]) as A | null, found(body.docs?.[1]) as B | null];
  }
}
