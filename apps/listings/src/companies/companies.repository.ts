import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { AnyBulkWriteOperation, Model } from 'mongoose';
import { CompanyProfileFields, type CompanyUpserted, type EventEnvelope } from '@jobstream/contracts';
import { Company } from './company.schema';

const PROFILE_FIELDS = Object.keys(CompanyProfileFields) as (keyof typeof CompanyProfileFields)[];

export type CompanyView = Omit<Company, '_id' | 'lastEventId'> & { companyId: string };

/** Keeps only the newest event per company: one write per company per batch. */
export function latestPerKey(events: readonly EventEnvelope<'company.upserted'>[]): EventEnvelope<'company.upserted'>[] {
  const latest = new Map<string, EventEnvelope<'company.upserted'>>();
  for (const e of events) {
    const seen = latest.get(e.key);
    if (!seen || seen.id < e.id) latest.set(e.key, e);
  }
  return [...latest.values()];
}

@Injectable()
export class CompaniesRepository {
  constructor(@InjectModel(Company.name) private readonly companies: Model<Company>) {}

  /**
   * Applies profiles idempotently: a write lands only if its event is newer than the stored one,
   * so a replayed or stale event changes nothing. Returns how many were applied.
   */
  async applyUpserts(events: readonly EventEnvelope<'company.upserted'>[]): Promise<number> {
    const ops: AnyBulkWriteOperation<Company>[] = latestPerKey(events).map((e) => {
      const data: CompanyUpserted = e.data;
      const set: Record<string, unknown> = { lastEventId: e.id, updatedAt: new Date(e.occurredAt) };
      const unset: Record<string, ''> = {};
      for (const field of PROFILE_FIELDS) {
        if (data[field] === undefined) unset[field] = '';
        else set[field] = data[field];
      }
      return {
        updateOne: {
          filter: { _id: data.companyId, $or: [{ lastEventId: { $lt: e.id } }, { lastEventId: { $exists: false } }] },
          update: Object.keys(unset).length > 0 ? { $set: set, $unset: unset } : { $set: set },
          upsert: true,
        },
      };
    });
    if (ops.length === 0) return 0;
    try {
      const result = await this.companies.bulkWrite(ops, { ordered: false });
      return result.upsertedCount + result.modifiedCount;
    } catch (err) {
      // A duplicate _id means the stored company is newer than the event: a stale write, skipped.
      const writeErrors = (err as { writeErrors?: { code?: number; err?: { code?: number } }[] }).writeErrors;
      if (writeErrors && writeErrors.every((w) => (w.code ?? w.err?.code) === 11000)) {
        const result = (err as { result?: { upsertedCount?: number; modifiedCount?: number } }).result;
        return (result?.upsertedCount ?? 0) + (result?.modifiedCount ?? 0);
      }
      throw err;
    }
  }

  async findById(companyId: string): Promise<CompanyView | null> {
    const doc = await this.companies.findById(companyId).lean<Company>().exec();
    if (!doc) return null;
    const { _id, lastEventId: _lastEventId, ...rest } = doc;
    return { companyId: _id, ...rest };
  }
}
