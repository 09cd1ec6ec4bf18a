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

/**
 * Reads pages by id from the search index: a real-time GET, served from the index's translog as
 * soon as the projection wrote it (no refresh wait), in a few milliseconds whatever the corpus size.
 * The document store is never read per request (on FerretDB every lookup is a full scan).
 */
@Injectable()
export class PageReader {
  constructor(
    @Inject(OPENSEARCH) private readonly os: OpenSearchGateway,
    @Inject(SEARCH_INDEX) private readonly index: SearchIndex,
  ) {}

  async posting(postingId: string): Promise<IndexedPosting | null> {
    const doc = await this.get<{ kind?: string; snapshot?: PostingSnapshot; stats?: PostingCounters }>(postingId, 'kind,snapshot,stats');
    if (doc?.kind !== 'posting' || !doc.snapshot) return null;
    return { snapshot: doc.snapshot, ...(doc.stats ? { stats: doc.stats } : {}) };
  }

  async company(companyId: string): Promise<IndexedCompany | null> {
    const doc = await this.get<Omit<IndexedCompany, 'companyId'> & { kind?: string }>(companyDocId(companyId), 'kind,profile,updatedAt,insights');
    if (doc?.kind !== 'company' || (!doc.profile && !doc.insights)) return null;
    return { companyId, ...(doc.profile ? { profile: doc.profile } : {}), ...(doc.updatedAt ? { updatedAt: doc.updatedAt } : {}), ...(doc.insights ? { insights: doc.insights } : {}) };
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
}
