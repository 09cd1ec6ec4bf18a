import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { AnyBulkWriteOperation, Model } from 'mongoose';
import { retryWhenBusy } from '@jobstream/platform/mongo';
import type { PostingState } from './posting-lifecycle.util';
import { PostingRecord, type PendingWrite } from './posting-registry.schema';

const isDuplicateKey = (err: unknown) => (err as { code?: number }).code === 11000;

@Injectable()
export class PostingRegistryRepository {
  constructor(@InjectModel(PostingRecord.name) private readonly records: Model<PostingRecord>) {}

  findById(postingId: string): Promise<PostingRecord | null> {
    return this.records.findById(postingId).lean<PostingRecord>().exec();
  }

  findByExternalId(companyId: string, externalId: string): Promise<PostingRecord | null> {
    return this.records.findOne({ companyId, externalId }).lean<PostingRecord>().exec();
  }

  /** Claims (companyId, externalId) for a new posting; false if another posting holds it. */
  async insertPending(state: PostingState, pending: PendingWrite): Promise<boolean> {
    try {
      await retryWhenBusy(() => this.records.create({ _id: state.postingId, companyId: state.companyId, externalId: state.externalId, revision: 0, pending }));
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  /** Reserves the next revision, only if nobody else wrote or reserved since we read. */
  async reserve(postingId: string, expectedRevision: number, pending: PendingWrite): Promise<boolean> {
    const res = await retryWhenBusy(() => this.records.updateOne({ _id: postingId, revision: expectedRevision, pending: { $exists: false } }, { $set: { pending } }).exec());
    return res.modifiedCount === 1;
  }

  /** Makes published pending writes the committed state, in one round trip. */
  async commit(writes: readonly { postingId: string; pending: PendingWrite }[]): Promise<void> {
    if (writes.length === 0) return;
    const ops: AnyBulkWriteOperation<PostingRecord>[] = writes.map(({ postingId, pending }) => {
        const { state } = pending;
        const expiresAt = state.content.expiresAt;
        return {
          updateOne: {
            filter: { _id: postingId, 'pending.revision': pending.revision },
            update: {
              $set: { revision: pending.revision, state, status: state.status, ...(expiresAt ? { expiresAt: new Date(expiresAt) } : {}) },
              $unset: { pending: '', ...(expiresAt ? {} : { expiresAt: '' }) },
            },
          },
        };
      });
    await retryWhenBusy(() => this.records.bulkWrite(ops, { ordered: false }));
  }

  /** Published postings whose expiresAt has passed, oldest first. */
  async dueForExpiry(now: Date, limit: number): Promise<string[]> {
    const docs = await this.records
      .find({ status: { $in: ['published', 'draft'] }, expiresAt: { $lte: now } }, { _id: 1 })
      .sort({ expiresAt: 1 })
      .limit(limit)
      .lean<{ _id: string }[]>()
      .exec();
    return docs.map((d) => d._id);
  }
}
