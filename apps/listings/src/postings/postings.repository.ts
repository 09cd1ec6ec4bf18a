import { Inject, Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import type { EventEnvelope, PostingSnapshot, PostingStatus } from '@jobstream/contracts';
import { Posting } from './posting.schema';
import type { VersionedCollection, VersionedWrite } from '@jobstream/platform/bulk-write.util';
import { DOCUMENT_WRITES, type DocumentWrites } from '@jobstream/platform/document-store';
import { latestBy } from '../read-models/latest-by.util';

type PostingEvent = EventEnvelope<'posting.published' | 'posting.updated' | 'posting.closed' | 'posting.expired'>;

/** What other modules (applications) need of a posting. */
export interface PostingView {
  postingId: string;
  companyId: string;
  status: PostingStatus;
  title: string;
  snapshot: PostingSnapshot;
}

/** The stored fields of a posting snapshot. */
export function postingDocument(s: PostingSnapshot, occurredAt: string): Partial<Posting> {
  return {
    snapshot: s,
    revision: s.revision,
    companyId: s.companyId,
    status: s.status,
    updatedAt: new Date(occurredAt),
    // Drafts have no postedAt yet; the epoch only keeps the field total.
    postedAt: new Date(s.postedAt ?? 0),
  };
}

/**
 * The postings store of record: the latest snapshot of each posting, by revision. Only the postings
 * topic writes it (counters and company names live in the search index, which also serves the
 * posting page), so no two consumers ever write one document and no lock is needed.
 */
@Injectable()
export class PostingsRepository {
  constructor(
    @InjectModel(Posting.name) private readonly postings: Model<Posting>,
    @Inject(DOCUMENT_WRITES) private readonly writes: DocumentWrites,
  ) {}

  /** Revision-ordered and idempotent: a replayed or stale snapshot matches nothing and changes nothing. */
  async applySnapshots(events: readonly PostingEvent[]): Promise<void> {
    const latest = latestBy(events, (e) => e.data.postingId, (a, b) => a.data.revision > b.data.revision);
    const writes: VersionedWrite[] = latest.map((e) => ({ _id: e.data.postingId, version: e.data.revision, set: postingDocument(e.data, e.occurredAt) }));
    await this.writes.applyVersioned(this.postings.collection as unknown as VersionedCollection, 'revision', writes);
  }

  async findById(postingId: string): Promise<PostingView | null> {
    const doc = await this.postings.findById(postingId, { snapshot: 1 }).lean<Posting>().exec();
    if (!doc?.snapshot) return null;
    return { postingId: doc._id, companyId: doc.snapshot.companyId, status: doc.snapshot.status, title: doc.snapshot.title, snapshot: doc.snapshot };
  }
}
