import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { AnyBulkWriteOperation, Model } from 'mongoose';
import type { EventEnvelope, PostingSnapshot, PostingStatus } from '@jobstream/contracts';
import { Posting } from './posting.schema';
import { applyVersioned, bulkWriteSkippingDuplicates, type VersionedCollection, type VersionedWrite } from '@jobstream/platform/bulk-write.util';
import { KeyedLock } from '@jobstream/platform/keyed-lock.util';
import type { CompanyName } from '../companies/companies.repository';
import { cursorAfter, keyOf, searchFilter, sortOf, tokenize, type SearchQuery } from './search.util';
import { latestBy } from '../read-models/latest-by.util';

type PostingEvent = EventEnvelope<'posting.published' | 'posting.updated' | 'posting.closed' | 'posting.expired'>;

/** What other modules (applications) need of a posting. */
export interface PostingView {
  postingId: string;
  companyId: string;
  status: PostingStatus;
  title: string;
  snapshot: PostingSnapshot;
  stats?: Posting['stats'];
  companyName?: string;
}

export interface SearchPage {
  items: (PostingSnapshot & { companyName?: string; stats?: Posting['stats'] })[];
  nextCursor: string | null;
}

/**
 * The read-model fields of a posting snapshot (all but counters), with the company name as known
 * now; syncCompanyNames repairs the name if it changes meanwhile.
 */
export function postingDocument(s: PostingSnapshot, occurredAt: string, company: CompanyName | undefined): Partial<Posting> {
  const baseTokens = [...new Set([...tokenize(s.title), ...(s.requiredSkills ?? []).flatMap(tokenize)])];
  return {
    snapshot: s,
    revision: s.revision,
    companyId: s.companyId,
    status: s.status,
    updatedAt: new Date(occurredAt),
    locationKey: keyOf(s.location),
    workplaceType: s.workplaceType,
    employmentType: s.employmentType,
    skillKeys: (s.requiredSkills ?? []).map(keyOf),
    baseTokens,
    searchTokens: searchTokensOf(baseTokens, company?.name),
    ...(company ? { companyName: company.name, companyVersion: company.version } : {}),
    // Drafts have no postedAt yet; they are not searchable, the epoch only keeps the sort key total.
    postedAt: new Date(s.postedAt ?? 0),
  };
}

/** What keyword search matches: the posting's own tokens and its company name's. */
function searchTokensOf(baseTokens: readonly string[], companyName: string | undefined): string[] {
  return [...new Set([...baseTokens, ...(companyName ? tokenize(companyName) : [])])];
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const set = new Set(a);
  return set.size === new Set(b).size && b.every((x) => set.has(x));
}


@Injectable()
export class PostingsRepository {
  /**
   * A posting document is written from three topics (postings, posting-stats, companies for its
   * company name), by consumers running side by side: writes of the same posting take turns, or
   * FerretDB loses one of them (see KeyedLock).
   */
  private readonly locks = new KeyedLock();

  constructor(@InjectModel(Posting.name) private readonly postings: Model<Posting>) {}

  /** Revision-ordered and idempotent: a replayed or stale snapshot matches nothing and changes nothing. */
  async applySnapshots(events: readonly PostingEvent[], companyNames: ReadonlyMap<string, CompanyName>): Promise<{ skipped: string[] }> {
    const latest = latestBy(events, (e) => e.data.postingId, (a, b) => a.data.revision > b.data.revision);
    const writes: VersionedWrite[] = latest.map((e) => ({
      _id: e.data.postingId,
      version: e.data.revision,
      set: postingDocument(e.data, e.occurredAt, companyNames.get(e.data.companyId)),
      onInsert: { trendingScore: 0 },
    }));
    const { skipped } = await this.locks.run(writes.map((w) => w._id), () => applyVersioned(this.versioned(), 'revision', writes));
    return { skipped };
  }

  /** Newest counters win, by the time analytics computed them. */
  async applyStats(events: readonly EventEnvelope<'posting-stats.updated'>[]): Promise<void> {
    const latest = latestBy(events, (e) => e.data.postingId, (a, b) => a.data.updatedAt > b.data.updatedAt);
    const writes: VersionedWrite[] = latest.map((e) => {
      const { postingId, companyId: _companyId, ...stats } = e.data;
      return { _id: postingId, version: new Date(stats.updatedAt), set: { stats, trendingScore: stats.trendingScore } };
    });
    await this.locks.run(writes.map((w) => w._id), () => applyVersioned(this.versioned(), 'statsUpdatedAt', writes));
  }

  /**
   * Brings postings' company name and search tokens in line with their company's stored name.
   * Which postings: `{ companyId }` (a company was projected: all of its postings) or `{ ids }`
   * (a postings batch whose names may be stale). Converges whatever the interleaving:
   * - under the per-posting lock, so this process's own writes of a posting take turns;
   * - each write is a compare-and-set on the revision and company version it read, and never
   *   writes an older company version over a newer one. A write that misses lost to another
   *   writer, which either wrote a newer name or is a posting write followed by its own sync.
   * A posting is rewritten when its name is older or its tokens don't match (a posting written
   * while its company was unknown has the right name field nowhere else to come from).
   */
  async syncCompanyNames(which: { companyId: string } | { ids: readonly string[] }, names: ReadonlyMap<string, CompanyName>): Promise<number> {
    const ids = 'ids' in which ? [...new Set(which.ids)] : (await this.postings.find({ companyId: which.companyId }, { _id: 1 }).lean<Pick<Posting, '_id'>[]>().exec()).map((d) => d._id);
    if (ids.length === 0) return 0;
    return this.locks.run(ids, async () => {
      type Stored = Pick<Posting, '_id' | 'companyId' | 'revision' | 'baseTokens' | 'searchTokens' | 'companyName' | 'companyVersion'>;
      const docs = await this.postings
        .find({ _id: { $in: ids } }, { companyId: 1, revision: 1, baseTokens: 1, searchTokens: 1, companyName: 1, companyVersion: 1 })
        .lean<Stored[]>()
        .exec();
      const ops: AnyBulkWriteOperation<Posting>[] = [];
      for (const d of docs) {
        const company = d.companyId === undefined ? undefined : names.get(d.companyId);
        if (!company) continue;
        if (d.companyVersion !== undefined && d.companyVersion > company.version) continue; // a newer name is stored
        const tokens = searchTokensOf(d.baseTokens ?? [], company.name);
        if (d.companyName === company.name && d.companyVersion === company.version && sameSet(d.searchTokens ?? [], tokens)) continue;
        ops.push({
          updateOne: {
            filter: { _id: d._id, revision: d.revision, companyVersion: d.companyVersion ?? { $exists: false } },
            update: { $set: { companyName: company.name, companyVersion: company.version, searchTokens: tokens } },
          },
        });
      }
      await this.bulk(ops);
      return ops.length;
    });
  }

  private versioned(): VersionedCollection {
    return this.postings.collection as unknown as VersionedCollection;
  }

  private async bulk(ops: AnyBulkWriteOperation<Posting>[]): Promise<void> {
    // A duplicate key is a versioned upsert that found a newer document: a stale event, skipped.
    await bulkWriteSkippingDuplicates((pending) => this.postings.bulkWrite(pending, { ordered: false }), ops);
  }

  async findById(postingId: string): Promise<PostingView | null> {
    const doc = await this.postings.findById(postingId).lean<Posting>().exec();
    if (!doc?.snapshot) return null;
    return {
      postingId: doc._id,
      companyId: doc.snapshot.companyId,
      status: doc.snapshot.status,
      title: doc.snapshot.title,
      snapshot: doc.snapshot,
      stats: doc.stats,
      companyName: doc.companyName,
    };
  }

  async search(query: SearchQuery): Promise<SearchPage> {
    const docs = await this.postings
      .find(searchFilter(query), { snapshot: 1, companyName: 1, stats: 1, postedAt: 1, trendingScore: 1 })
      .sort(sortOf(query.sort))
      .limit(query.limit + 1)
      .lean<Posting[]>()
      .exec();
    const page = docs.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      items: page.map((d) => ({ ...d.snapshot!, ...(d.companyName ? { companyName: d.companyName } : {}), ...(d.stats ? { stats: d.stats } : {}) })),
      nextCursor: docs.length > query.limit && last ? cursorAfter({ _id: last._id, postedAt: last.postedAt!, trendingScore: last.trendingScore ?? 0 }, query.sort) : null,
    };
  }

  async openPostingsOf(companyId: string, limit: number): Promise<PostingSnapshot[]> {
    const docs = await this.postings.find({ companyId, status: 'published' }, { snapshot: 1 }).sort({ postedAt: -1, _id: -1 }).limit(limit).lean<Posting[]>().exec();
    return docs.map((d) => d.snapshot!);
  }
}
