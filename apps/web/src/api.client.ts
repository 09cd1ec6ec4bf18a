import { Inject, Injectable } from '@nestjs/common';
import type { CompanyInsightsUpdated, PostingSnapshot } from '@jobstream/contracts';
import type { WebConfig } from './web.config';
import { APP_CONFIG } from '@jobstream/platform/platform.module';

type Insights = Omit<CompanyInsightsUpdated, 'companyId' | 'updatedAt' | 'trendingScore'>;

export interface CompanyPanel {
  companyId: string;
  name: string;
  description?: string;
  stage?: string;
  employeeRange?: string;
  headquarters?: string;
  valuationUsd?: number;
  group?: { id: string; name: string };
  applicationPolicy?: { maxApplicationsPerCandidate: number; scope: 'company' | 'group'; consideredInOrderApplied?: boolean };
}

/** GET /v1/postings/:id on listings: the whole posting page. */
export interface PostingPage {
  posting: PostingSnapshot;
  company: (CompanyPanel & { trendingScore: number }) | null;
  counters: { totalViews: number; uniqueViewers: number; applyClicks: number; mockApplicants: number; scraps: number; updatedAt: string | null };
  reviews: Insights['reviews'];
  salaries: Insights['salaries'];
  interviews: Insights['interviews'];
}

/** A search hit as listings answers it: the posting's summary (not its long text), with highlights when words were searched. */
export type SearchItem = Pick<PostingSnapshot, 'postingId' | 'companyId' | 'title' | 'team' | 'location' | 'workplaceType' | 'employmentType' | 'postedAt' | 'requiredSkills' | 'payRange'> & {
  companyName?: string;
  stats?: { totalViews?: number; applyClicks?: number };
  /** Field → fragments with <em> around the matched words. */
  highlights?: Record<string, string[]>;
};

/** A facet as a search engine returns it; listings may add `facets` (kept optional, rendered when present). */
export interface FacetBucket {
  value: string;
  count: number;
}
export interface SearchPage {
  items: SearchItem[];
  nextCursor: string | null;
  facets?: Record<string, FacetBucket[]>;
}

export type CompanyPage = CompanyPanel & { insights: Insights; openPostings: PostingSnapshot[] };

export interface TrendingPosting {
  postingId: string;
  companyId: string;
  title: string;
  score: number;
}
export interface TrendingCompany {
  companyId: string;
  name: string | null;
  score: number;
}

export interface ApplicationStatus {
  applicationId: string;
  postingId: string;
  status: 'pending' | 'accepted' | 'rejected';
  reason?: string;
  detail?: string;
  decidedAt?: string;
}

export interface ApplicationReceipt {
  applicationId: string;
  receiptToken: string;
  status: 'pending';
}

/** An API answered with an error: its status and the message of its JSON error body. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly issues: { path: string; message: string }[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The API could not be reached or did not answer in time. */
export class UpstreamUnavailable extends Error {
  constructor(readonly upstream: string, cause: unknown) {
    super(`${upstream} is unavailable: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = 'UpstreamUnavailable';
  }
}

interface CallOptions {
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** The visitor's address for a service that trusts this front end (TRUST_PROXY), so its per-client limits count the visitor. */
const forwardedHeaders = (forwardedFor: string | undefined): Record<string, string> => (forwardedFor ? { 'x-forwarded-for': forwardedFor } : {});

/**
 * The public APIs as any client sees them: listings and analytics to read, ingest's public routes to
 * write. Never a database, never a topic.
 */
@Injectable()
export class ApiClient {
  constructor(@Inject(APP_CONFIG) private readonly config: WebConfig) {}

  private async call<T>(upstream: 'listings' | 'analytics' | 'ingest', path: string, options: CallOptions = {}): Promise<T> {
    const base = { listings: this.config.WEB_LISTINGS_URL, analytics: this.config.WEB_ANALYTICS_URL, ingest: this.config.WEB_INGEST_URL }[upstream];
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, {
        method: options.method ?? 'GET',
        headers: { accept: 'application/json', ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}), ...options.headers },
        body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
        signal: AbortSignal.timeout(this.config.WEB_UPSTREAM_TIMEOUT_MS),
      });
    } catch (err) {
      throw new UpstreamUnavailable(upstream, err);
    }
    const text = await res.text();
    let body: unknown = undefined;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    if (!res.ok) {
      const e = (body ?? {}) as { message?: unknown; issues?: { path: string; message: string }[] };
      if (res.status >= 500) throw new UpstreamUnavailable(upstream, new Error(`answered ${res.status}`));
      throw new ApiError(res.status, typeof e.message === 'string' ? e.message : `${upstream} answered ${res.status}`, Array.isArray(e.issues) ? e.issues : []);
    }
    return body as T;
  }

  posting(id: string): Promise<PostingPage> {
    return this.call('listings', `/v1/postings/${encodeURIComponent(id)}`);
  }

  jsonLd(id: string): Promise<Record<string, unknown>> {
    return this.call('listings', `/v1/postings/${encodeURIComponent(id)}/jsonld`);
  }

  /** `forwardedFor`: the visitor's address, so listings' per-client search limit counts the visitor, not this front end (with listings' TRUST_PROXY). */
  search(query: Record<string, string>, forwardedFor?: string): Promise<SearchPage> {
    const qs = new URLSearchParams(query).toString();
    return this.call('listings', `/v1/postings${qs ? `?${qs}` : ''}`, { headers: forwardedHeaders(forwardedFor) });
  }

  company(id: string): Promise<CompanyPage> {
    return this.call('listings', `/v1/companies/${encodeURIComponent(id)}`);
  }

  applicationStatus(id: string, token: string): Promise<ApplicationStatus> {
    return this.call('listings', `/v1/applications/${encodeURIComponent(id)}`, { headers: { 'x-receipt-token': token } });
  }

  async trendingPostings(limit = 5): Promise<TrendingPosting[]> {
    return (await this.call<{ items: TrendingPosting[] }>('analytics', `/v1/trending/postings?limit=${limit}`)).items;
  }

  async trendingCompanies(limit = 5): Promise<TrendingCompany[]> {
    return (await this.call<{ items: TrendingCompany[] }>('analytics', `/v1/trending/companies?limit=${limit}`)).items;
  }

  /** Engagement through ingest's public routes (`kind` is the route: views, scraps, mock-applications, apply-clicks). */
  engage(postingId: string, kind: 'views' | 'scraps' | 'mock-applications' | 'apply-clicks', viewerId: string, forwardedFor?: string): Promise<{ eventId: string }> {
    return this.call('ingest', `/v1/postings/${encodeURIComponent(postingId)}/${kind}`, { method: 'POST', body: { viewerId }, headers: forwardedHeaders(forwardedFor) });
  }

  unscrap(postingId: string, viewerId: string): Promise<{ eventId: string }> {
    return this.call('ingest', `/v1/postings/${encodeURIComponent(postingId)}/scraps/${encodeURIComponent(viewerId)}`, { method: 'DELETE' });
  }

  apply(postingId: string, applicant: Record<string, string>): Promise<ApplicationReceipt> {
    return this.call('ingest', `/v1/postings/${encodeURIComponent(postingId)}/applications`, { method: 'POST', body: applicant });
  }

  /** Readiness: both read APIs answer their own health. */
  async ready(): Promise<void> {
    await Promise.all([this.call('listings', '/health/live'), this.call('analytics', '/health/live')]);
  }
}
