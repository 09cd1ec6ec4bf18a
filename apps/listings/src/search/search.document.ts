import type { EventEnvelope, PostingSnapshot, PostingStatsUpdated } from '@jobstream/contracts';
import { keyOf } from './text.util';
import { latestBy } from '../read-models/latest-by.util';

type PostingEvent = EventEnvelope<'posting.published' | 'posting.updated' | 'posting.closed' | 'posting.expired'>;

/** Id of a company's name document in the search index (postings use their own id). */
export const companyDocId = (companyId: string) => `company:${companyId}`;

/** The posting-owned fields of a search document; every field is present (null when absent) so a new revision also clears. */
export interface PostingFields {
  kind: 'posting';
  postingId: string;
  companyId: string;
  status: string;
  revision: number;
  title: string;
  description: string;
  skills: string[];
  skillKeys: string[];
  location: string;
  locationKey: string;
  workplaceType: string;
  employmentType: string;
  postedAt: string | null;
  updatedAt: string;
  payMin: number | null;
  payMax: number | null;
  snapshot: PostingSnapshot;
}

export function postingFields(s: PostingSnapshot, occurredAt: string): PostingFields {
  return {
    kind: 'posting',
    postingId: s.postingId,
    companyId: s.companyId,
    status: s.status,
    revision: s.revision,
    title: s.title,
    description: s.description,
    skills: s.requiredSkills ?? [],
    skillKeys: (s.requiredSkills ?? []).map(keyOf),
    location: s.location,
    locationKey: keyOf(s.location),
    workplaceType: s.workplaceType,
    employmentType: s.employmentType,
    postedAt: s.postedAt ?? null,
    updatedAt: occurredAt,
    payMin: s.payRange?.min ?? null,
    payMax: s.payRange?.max ?? null,
    snapshot: s,
  };
}

/**
 * Each field group of a document has its own version, compared inside the engine (the update is
 * atomic per document), so the three topics that feed a posting never need a lock of ours and a
 * replayed or late event never regresses a field:
 * - posting fields by revision,
 * - the company name (and, on a company document, its profile) by the profile's event id (time-ordered),
 * - counters and company summaries by the time analytics computed them.
 * The scripts set ctx.op to `none` (update) or `noop` (update by query) when nothing is newer.
 */
export const Scripts = {
  posting: `
    boolean changed = false;
    if (ctx._source.revision == null || ctx._source.revision < params.doc.revision) {
      for (def e : params.doc.entrySet()) { ctx._source[e.getKey()] = e.getValue(); }
      if (ctx._source.trendingScore == null) { ctx._source.trendingScore = 0.0; }
      changed = true;
    }
    if (params.company != null && (ctx._source.companyVersion == null || params.company.version.compareTo(ctx._source.companyVersion) > 0)) {
      ctx._source.companyName = params.company.name; ctx._source.companyVersion = params.company.version; changed = true;
    }
    if (!changed) { ctx.op = params.skip; }`,
  companyName: `
    if (ctx._source.companyVersion == null || params.version.compareTo(ctx._source.companyVersion) > 0) {
      ctx._source.companyName = params.name; ctx._source.companyVersion = params.version;
      if (params.companyDoc) { ctx._source.kind = 'company'; ctx._source.companyId = params.companyId; ctx._source.profile = params.profile; ctx._source.updatedAt = params.updatedAt; }
    } else { ctx.op = params.skip; }`,
  insights: `
    if (ctx._source.insightsUpdatedAt == null || ctx._source.insightsUpdatedAt < params.at) {
      ctx._source.insights = params.insights; ctx._source.insightsUpdatedAt = params.at;
      ctx._source.kind = 'company'; ctx._source.companyId = params.companyId;
    } else { ctx.op = params.skip; }`,
  stats: `
    if (ctx._source.statsUpdatedAt == null || ctx._source.statsUpdatedAt < params.at) {
      ctx._source.stats = params.stats; ctx._source.trendingScore = params.trendingScore; ctx._source.statsUpdatedAt = params.at;
    } else { ctx.op = params.skip; }`,
};

export interface CompanyName {
  name: string;
  version: string;
}

export type BulkLine = Record<string, unknown>;


const update = (index: string, id: string) => ({ update: { _index: index, _id: id, retry_on_conflict: 10 } });

/** Bulk lines for postings: a scripted upsert per posting (latest revision of the batch). */
export function postingLines(index: string, events: readonly PostingEvent[], names: ReadonlyMap<string, CompanyName>): { ids: string[]; lines: BulkLine[] } {
  const latest = latestBy(events, (e) => e.data.postingId, (a, b) => a.data.revision > b.data.revision);
  const lines: BulkLine[] = [];
  for (const e of latest) {
    const company = names.get(e.data.companyId) ?? null;
    lines.push(update(index, e.data.postingId), { scripted_upsert: true, upsert: {}, script: { lang: 'painless', source: Scripts.posting, params: { doc: postingFields(e.data, e.occurredAt), company, skip: 'none' } } });
  }
  return { ids: latest.map((e) => e.data.postingId), lines };
}

/** Left out of every read of a posting: the counters' days, which documents projected before statsLines dropped them still hold. */
export const UNREAD_POSTING_FIELDS = ['stats.daily'];

/**
 * Bulk lines for counters: a scripted upsert per posting (a posting not indexed yet gets a
 * counters-only document, not searchable). Only the totals are kept (PostingCounters): the 30 days
 * of a snapshot are 2.7 KB that no page or search of listings shows (analytics serves them), and
 * each snapshot rewrites them.
 */
export function statsLines(index: string, events: readonly EventEnvelope<'posting-stats.updated'>[]): BulkLine[] {
  const latest = latestBy(events, (e) => e.data.postingId, (a, b) => a.data.updatedAt > b.data.updatedAt);
  return latest.flatMap((e) => {
    const { postingId, companyId: _companyId, daily: _daily, ...stats }: PostingStatsUpdated = e.data;
    return [update(index, postingId), { scripted_upsert: true, upsert: {}, script: { lang: 'painless', source: Scripts.stats, params: { stats, trendingScore: stats.trendingScore, at: Date.parse(stats.updatedAt), skip: 'none' } } }];
  });
}

/** Bulk lines for company documents: name and profile (latest profile per company in the batch). */
export function companyLines(index: string, events: readonly EventEnvelope<'company.upserted'>[]): { names: Map<string, CompanyName>; lines: BulkLine[] } {
  const latest = latestBy(events, (e) => e.data.companyId, (a, b) => a.id > b.id);
  const names = new Map(latest.map((e) => [e.data.companyId, { name: e.data.name, version: e.id }]));
  const lines = latest.flatMap((e) => {
    const { companyId, ...profile } = e.data;
    return [
      update(index, companyDocId(companyId)),
      { scripted_upsert: true, upsert: {}, script: { lang: 'painless', source: Scripts.companyName, params: { name: e.data.name, version: e.id, companyId, companyDoc: true, profile, updatedAt: e.occurredAt, skip: 'none' } } },
    ];
  });
  return { names, lines };
}

/** Bulk lines for company summaries (latest per company in the batch, by the time analytics computed them). */
export function insightsLines(index: string, events: readonly EventEnvelope<'company-insights.updated'>[]): BulkLine[] {
  const latest = latestBy(events, (e) => e.data.companyId, (a, b) => a.data.updatedAt > b.data.updatedAt);
  return latest.flatMap((e) => {
    const { companyId, ...insights } = e.data;
    return [update(index, companyDocId(companyId)), { scripted_upsert: true, upsert: {}, script: { lang: 'painless', source: Scripts.insights, params: { insights, at: Date.parse(insights.updatedAt), companyId, skip: 'none' } } }];
  });
}

/** Bulk lines that bring given postings' company name up to `name` (never down). */
export function nameSyncLines(index: string, postingIds: readonly string[], name: CompanyName): BulkLine[] {
  return postingIds.flatMap((id) => [update(index, id), { script: { lang: 'painless', source: Scripts.companyName, params: { name: name.name, version: name.version, companyDoc: false, skip: 'none' } } }]);
}

export interface BulkItemResult {
  status: number;
  error?: { type?: string; reason?: string; caused_by?: { type?: string; reason?: string } };
}

export interface BulkAnswer {
  errors: boolean;
  items: Record<string, BulkItemResult>[];
}

export type ItemOutcome = 'ok' | 'missing' | 'refused' | 'retry';

/** What one bulk item's answer means for its event. */
export function itemOutcome(item: BulkItemResult): ItemOutcome {
  if (item.status < 300) return 'ok';
  if (item.status === 404) return 'missing'; // an update without upsert of a document not indexed yet
  // Overloaded, or still conflicting after retry_on_conflict: the next attempt will do.
  if (item.status === 429 || item.status === 409 || item.status >= 500) return 'retry';
  return 'refused';
}
