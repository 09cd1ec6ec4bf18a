import { Inject, Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { CompanyProfileFields, type CompanyUpserted, type EventEnvelope } from '@jobstream/contracts';
import { Company } from './company.schema';
import type { VersionedCollection, VersionedWrite } from '@jobstream/platform/bulk-write.util';
import { DOCUMENT_WRITES, type DocumentWrites } from '@jobstream/platform/document-store';

const PROFILE_FIELDS = Object.keys(CompanyProfileFields) as (keyof typeof CompanyProfileFields)[];

export type CompanyView = Omit<Company, '_id' | 'lastEventId' | 'name'> & { companyId: string; name: string };

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
  constructor(
    @InjectModel(Company.name) private readonly companies: Model<Company>,
    @Inject(DOCUMENT_WRITES) private readonly writes: DocumentWrites,
  ) {}

  /**
   * Applies profiles idempotently: a write lands only if its event is newer than the stored one,
   * so a replayed or stale event changes nothing. Returns how many were applied.
   */
  async applyUpserts(events: readonly EventEnvelope<'company.upserted'>[]): Promise<number> {
    const writes: VersionedWrite[] = latestPerKey(events).map((e) => {
      const data: CompanyUpserted = e.data;
      const set: Record<string, unknown> = { updatedAt: new Date(e.occurredAt) };
      const unset: string[] = [];
      for (const field of PROFILE_FIELDS) {
        if (data[field] === undefined) unset.push(field);
        else set[field] = data[field];
      }
      return { _id: data.companyId, version: e.id, set, unset };
    });
    await this.writes.applyVersioned(this.versioned(), 'lastEventId', writes);
    return writes.length;
  }

  private versioned(): VersionedCollection {
    return this.companies.collection as unknown as VersionedCollection;
  }

  async findById(companyId: string): Promise<CompanyView | null> {
    const doc = await this.companies.findById(companyId).lean<Company>().exec();
    if (!doc?.name) return null;
    const { _id, lastEventId: _lastEventId, name, ...rest } = doc;
    return { companyId: _id, name, ...rest };
  }

}
