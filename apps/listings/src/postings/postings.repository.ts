import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { AnyBulkWriteOperation, Model } from 'mongoose';
import type { EventEnvelope, PostingSnapshot, PostingStatus } from '@jobstream/contracts';
import { Posting } from './posting.schema';
import { applyVersioned, bulkWriteSkippingDuplicates, type VersionedCollection, type VersionedWrite } from '@jobstream/platform/bulk-write.util';
import { cursorAfter, keyOf, searchFilter, sortOf, tokenize, type SearchQuery } from './search.util';

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

/** Keeps the highest-ordered item per key: one write per posting per batch. */
function latestBy<T>(items: readonly T[], key: (t: T) => string, newer: (a: T, b: T) => boolean): T[] {
  const out = new Map<string, T>();
  for (const item of items) {
    const k = key(item);
    const seen = out.get(k);
    if (!seen || newer(item, seen)) out.set(k, item);
  }
  return [...out.values()];
}

@Injectable()
export class PostingsRepository {
  constructor(@InjectModel(Posting.name) private readonly postings: Model<Posting>) {}

  /** Revision-ordered and idempotent: a replayed or stale snapshot matches nothing and changes nothing. */
  async applySnapshots(events: readonly PostingEvent[], companyNames: ReadonlyMap<string, string>): Promise<void> {
    const latest = latestBy(events, (e) => e.data.postingId, (a, b) => a.data.revision > b.data.revision);
    const writes: VersionedWrite[] = latest.map((e) => {
      const s = e.data;
      const baseTokens = [...new Set([...tokenize(s.title), ...(s.requiredSkills ?? []).flatMap(tokenize)])];
      const companyName = companyNames.get(s.companyId);
      const set: Partial<Posting> = {
        snapshot: s,
        revision: s.revision,
        companyId: s.companyId,
        status: s.status,
        updatedAt: new Date(e.occurredAt),
        locationKey: keyOf(s.location),
        workplaceType: s.workplaceType,
        employmentType: s.employmentType,
        skillKeys: (s.requiredSkills ?? []).map(keyOf),
        baseTokens,
        searchTokens: [...new Set([...baseTokens, ...(companyName ? tokenize(companyName) : [])])],
        ...(companyName ? { companyName } : {}),
        // Drafts have no postedAt yet; they are not searchable, the epoch only keeps the sort key total.
        postedAt: new Date(s.postedAt ?? 0),
      };
      return { _id: s.postingId, version: s.revision, set, onInsert: { trendingScore: 0 } };
    });
    await applyVersioned(this.versioned(), 'revision', writes);
  }

  /** Newest counters win, by the time analytics computed them. */
  async applyStats(events: readonly EventEnvelope<'posting-stats.updated'>[]): Promise<void> {
    const latest = latestBy(events, (e) => e.data.postingId, (a, b) => a.data.updatedAt > b.data.updatedAt);
    const writes: VersionedWrite[] = latest.map((e) => {
      const { postingId, companyId: _companyId, ...stats } = e.data;
      return { _id: postingId, version: new Date(stats.updatedAt), set: { stats, trendingScore: stats.trendingScore } };
    });
    await applyVersioned(this.versioned(), 'statsUpdatedAt', writes);
  }

  /** A company was renamed (or first seen): refresh its postings' search tokens. */
  async refreshCompanyName(companyId: string, name: string): Promise<void> {
    const docs = await this.postings.find({ companyId }, { _id: 1, baseTokens: 1, companyName: 1 }).lean<Pick<Posting, '_id' | 'baseTokens' | 'companyName'>[]>().exec();
    const companyTokens = tokenize(name);
    const ops: AnyBulkWriteOperation<Posting>[] = docs
      .filter((d) => d.companyName !== name)
      .map((d) => ({
        updateOne: { filter: { _id: d._id }, update: { $set: { companyName: name, searchTokens: [...new Set([...(d.baseTokens ?? []), ...companyTokens])] } } },
      }));
    await this.bulk(ops);
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
