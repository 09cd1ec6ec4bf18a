import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { AnyBulkWriteOperation, Model } from 'mongoose';
import { CompanyProfileFields, type CompanyUpserted, type EventEnvelope } from '@jobstream/contracts';
import { Company } from './company.schema';
import { bulkWriteSkippingDuplicates } from '@jobstream/platform/bulk-write.util';

const PROFILE_FIELDS = Object.keys(CompanyProfileFields) as (keyof typeof CompanyProfileFields)[];

export type CompanyView = Omit<Company, '_id' | 'lastEventId' | 'insightsUpdatedAt' | 'name'> & { companyId: string; name: string };

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
    await this.bulk(ops);
    return ops.length;
  }

  private async bulk(ops: AnyBulkWriteOperation<Company>[]): Promise<void> {
    // A duplicate key is a versioned upsert that found a newer document: a stale event, skipped.
    await bulkWriteSkippingDuplicates((pending) => this.companies.bulkWrite(pending, { ordered: false }), ops);
  }

  /** Newest insights win, by the time analytics computed them. */
  async applyInsights(events: readonly EventEnvelope<'company-insights.updated'>[]): Promise<void> {
    const latest = new Map<string, EventEnvelope<'company-insights.updated'>>();
    for (const e of events) {
      const seen = latest.get(e.data.companyId);
      if (!seen || seen.data.updatedAt < e.data.updatedAt) latest.set(e.data.companyId, e);
    }
    const ops: AnyBulkWriteOperation<Company>[] = [...latest.values()].map((e) => {
      const { companyId, ...insights } = e.data;
      const at = new Date(insights.updatedAt);
      return {
        updateOne: {
          filter: { _id: companyId, $or: [{ insightsUpdatedAt: { $lt: at } }, { insightsUpdatedAt: { $exists: false } }] },
          update: { $set: { insights, insightsUpdatedAt: at } },
          upsert: true,
        },
      };
    });
    await this.bulk(ops);
  }

  async findById(companyId: string): Promise<CompanyView | null> {
    const doc = await this.companies.findById(companyId).lean<Company>().exec();
    if (!doc?.name) return null;
    const { _id, lastEventId: _lastEventId, insightsUpdatedAt: _at, name, ...rest } = doc;
    return { companyId: _id, name, ...rest };
  }

  async namesOf(companyIds: readonly string[]): Promise<Map<string, string>> {
    if (companyIds.length === 0) return new Map();
    const docs = await this.companies.find({ _id: { $in: [...new Set(companyIds)] } }, { name: 1 }).lean<Pick<Company, '_id' | 'name'>[]>().exec();
    return new Map(docs.filter((d) => d.name).map((d) => [d._id, d.name!]));
  }
}
