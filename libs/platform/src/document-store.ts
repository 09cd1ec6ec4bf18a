import { Global, Module, type DynamicModule } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import {
  applyVersioned as applyVersionedReadThenCompareAndSet,
  bulkWriteSkippingDuplicates as bulkWriteResubmittingAfterFailures,
  duplicateKeyIndexes,
  type VersionedCollection,
  type VersionedResult,
  type VersionedWrite,
} from './bulk-write.util';

export type DocumentEngine = 'mongodb' | 'ferretdb';

/**
 * The writes whose best form depends on the engine behind the MongoDB wire protocol. Everything
 * that exists only because of FerretDB lives behind this one port, so a MongoDB deployment never
 * pays for it: repositories ask for DOCUMENT_WRITES and never import the FerretDB workarounds.
 */
export interface DocumentWrites {
  readonly engine: DocumentEngine;
  /** Writes that land only where `version` is newer than the stored one; older ones are skipped as stale. */
  applyVersioned(collection: VersionedCollection, versionField: string, writes: readonly VersionedWrite[]): Promise<VersionedResult>;
  /** An unordered bulk write of idempotent operations in which a duplicate key means "already there". */
  bulkWriteSkippingDuplicates<Op>(write: (ops: Op[]) => Promise<unknown>, ops: readonly Op[]): Promise<void>;
}

/**
 * FerretDB 1.x (SQLite): read the batch's versions and compare-and-set (its upserts with a version
 * filter scan the collection), commands of at most 25 statements within a per-process budget (its
 * connection pool wedges on larger ones), and re-submission after the first failure of an unordered
 * bulk write (it stops there). Details and figures: README, "MongoDB and FerretDB".
 */
export const ferretDbWrites: DocumentWrites = {
  engine: 'ferretdb',
  applyVersioned: (collection, versionField, writes) => applyVersionedReadThenCompareAndSet(collection, versionField, writes),
  bulkWriteSkippingDuplicates: (write, ops) => bulkWriteResubmittingAfterFailures(write, ops),
};

const latestPerId = (writes: readonly VersionedWrite[]) => {
  const latest = new Map<string, VersionedWrite>();
  for (const w of writes) {
    const seen = latest.get(w._id);
    if (!seen || seen.version < w.version) latest.set(w._id, w);
  }
  return [...latest.values()];
};

/**
 * MongoDB: one versioned upsert per document in one unordered command (the `_id` index serves the
 * filter). A document stored with a newer version doesn't match, so the upsert's insert hits the
 * duplicate key: that write was stale. MongoDB carries on past it, so nothing is re-submitted.
 */
export const mongoDbWrites: DocumentWrites = {
  engine: 'mongodb',
  async applyVersioned(collection, versionField, writes) {
    const latest = latestPerId(writes);
    const result: VersionedResult = { inserted: 0, updated: 0, stale: writes.length - latest.length, skipped: [] };
    if (latest.length === 0) return result;
    const ops = latest.map((w) => ({
      updateOne: {
        filter: { _id: w._id, $or: [{ [versionField]: { $lt: w.version } }, { [versionField]: { $exists: false } }] },
        update: {
          $set: { ...w.set, [versionField]: w.version },
          ...(w.onInsert ? { $setOnInsert: w.onInsert } : {}),
          ...(w.unset?.length ? { $unset: Object.fromEntries(w.unset.map((f) => [f, ''])) } : {}),
        },
        upsert: true,
      },
    }));
    let counts: { upsertedCount?: number; modifiedCount?: number; matchedCount?: number };
    try {
      counts = await collection.bulkWrite(ops, { ordered: false });
    } catch (err) {
      const stale = duplicateKeyIndexes(err);
      if (!stale) throw err;
      for (const i of stale) result.skipped.push(latest[i]._id);
      result.stale += stale.length;
      counts = (err as { result?: typeof counts }).result ?? {};
    }
    result.inserted = counts.upsertedCount ?? 0;
    result.updated = counts.matchedCount ?? 0;
    return result;
  },
  async bulkWriteSkippingDuplicates(write, ops) {
    if (ops.length === 0) return;
    try {
      await write([...ops]);
    } catch (err) {
      if (!duplicateKeyIndexes(err)) throw err;
    }
  },
};

export const documentWritesFor = (engine: DocumentEngine): DocumentWrites => (engine === 'ferretdb' ? ferretDbWrites : mongoDbWrites);

/** FerretDB announces itself in buildInfo; MongoDB doesn't. */
export async function detectEngine(connection: Connection): Promise<DocumentEngine> {
  const db = connection.db ?? (await connection.asPromise()).db;
  if (!db) throw new Error('the MongoDB connection has no database');
  const info = (await db.admin().buildInfo()) as Record<string, unknown>;
  return 'ferretdb' in info || 'ferretdbVersion' in info ? 'ferretdb' : 'mongodb';
}

export const DOCUMENT_WRITES = Symbol('jobstream:document-writes');

/**
 * Provides DOCUMENT_WRITES for the service's connection: the engine named by MONGO_ENGINE, or the
 * one the server announces (`auto`), once at start-up.
 */
@Global()
@Module({})
export class DocumentStoreModule {
  static forRoot(engine: DocumentEngine | 'auto'): DynamicModule {
    return {
      module: DocumentStoreModule,
      providers: [
        {
          provide: DOCUMENT_WRITES,
          inject: [getConnectionToken()],
          useFactory: async (connection: Connection) => documentWritesFor(engine === 'auto' ? await detectEngine(connection) : engine),
        },
      ],
      exports: [DOCUMENT_WRITES],
    };
  }
}
