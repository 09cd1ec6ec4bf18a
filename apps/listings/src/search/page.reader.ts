import type { CompanyInsightsUpdated, CompanyUpserted, PostingSnapshot, PostingStatsUpdated } from '@jobstream/contracts';
import type { SearchIndex } from './search-index';
import type { OpenSearchGateway } from './opensearch.gateway';
import { UNREAD_POSTING_FIELDS, companyDocId } from './search.document';

/** A posting's counters as the index keeps them: the totals, not the days (see statsLines). */
export type PostingCounters = Omit<PostingStatsUpdated, 'postingId' | 'companyId' | 'daily'>;

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
const POSTING_FIELDS = ['kind', 'snapshot', 'stats'].join(',');
const POSTING_EXCLUDED = UNREAD_POSTING_FIELDS.join(',');
const COMPANY_FIELDS = ['kind', 'profile', 'updatedAt', 'insights'].join(',');
/** Companies whose panel a replica keeps for its pages (a few KB each with their summaries). */
const KEPT_COMPANIES = 10_000;

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
export class PageReader {
  /** Company panels read for postings' pages, oldest read first (a Map keeps insertion order); an entry older than companyPanelMs is read again. */
  private readonly panels = new Map<string, { readAt: number; company: Promise<IndexedCompany | null> }>();

  constructor(
    private readonly os: OpenSearchGateway,
    private readonly index: SearchIndex,
    /** How long a company's panel is reused on its postings' pages; 0 reads it on every view. */
    private readonly companyPanelMs = 0,
  ) {}

  async posting(postingId: string): Promise<IndexedPosting | null> {
    return postingOf(await this.get<PostingSource>(postingId, POSTING_FIELDS, POSTING_EXCLUDED));
  }

  async company(companyId: string): Promise<IndexedCompany | null> {
    return companyOf(companyId, await this.get<CompanySource>(companyDocId(companyId), COMPANY_FIELDS));
  }

  /**
   * A posting and its company, as its page shows them. The posting is read on every view (its
   * status, text and counters are what the page is for). The company's id is known only once the
   * posting is read, and many postings share a company, so its panel is reused for companyPanelMs:
   * a page whose company was read that recently is one round trip instead of two one after the
   * other. The panel can be that much older than the index; the page's own Cache-Control already
   * lets a browser keep the whole page 30 s.
   */
  async postingWithCompany(postingId: string): Promise<{ posting: IndexedPosting; company: IndexedCompany | null } | null> {
    const posting = await this.posting(postingId);
    if (!posting) return null;
    return { posting, company: await this.companyPanel(posting.snapshot.companyId) };
  }

  /** The company's panel as read at most companyPanelMs ago; pages that miss at the same time share one read. */
  private companyPanel(companyId: string): Promise<IndexedCompany | null> {
    if (this.companyPanelMs <= 0) return this.company(companyId);
    const now = Date.now();
    const kept = this.panels.get(companyId);
    if (kept && now - kept.readAt < this.companyPanelMs) return kept.company;
    const company = this.company(companyId);
    this.panels.delete(companyId);
    this.panels.set(companyId, { readAt: now, company });
    if (this.panels.size > KEPT_COMPANIES) this.panels.delete(this.panels.keys().next().value as string);
    // A failed read is not kept: the next page reads again.
    company.catch(() => {
      if (this.panels.get(companyId)?.company === company) this.panels.delete(companyId);
    });
    return company;
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
  private async get<T>(id: string, fields: string, excluded?: string): Promise<T | null> {
    const querystring = { _source_includes: fields, ...(excluded ? { _source_excludes: excluded } : {}) };
    const { status, body } = await this.os.call<GetAnswer<T>>('GET', `/${this.index.alias}/_doc/${encodeURIComponent(id)}`, undefined, { ignore: [404], querystring });
    return status === 200 && body.found && body._source ? body._source : null;
  }
}
