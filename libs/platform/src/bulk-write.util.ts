const DUPLICATE_KEY = 11000;

interface BulkErrorShape {
  code?: number;
  writeErrors?: BulkWriteErrorShape[] | BulkWriteErrorShape;
}
interface BulkWriteErrorShape {
  index?: number;
  code?: number;
  err?: { code?: number; index?: number };
}

/**
 * The positions of the operations that failed with a duplicate key, or undefined when anything
 * else failed (or the error doesn't say which operations failed).
 */
export function duplicateKeyIndexes(err: unknown): number[] | undefined {
  const { writeErrors } = (err ?? {}) as BulkErrorShape;
  const list = Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : [];
  if (list.length === 0) return undefined;
  const indexes: number[] = [];
  for (const w of list) {
    const code = w.code ?? w.err?.code;
    const index = w.index ?? w.err?.index;
    if (code !== DUPLICATE_KEY || index === undefined) return undefined;
    indexes.push(index);
  }
  return indexes;
}

/**
 * Runs an unordered bulk write in which a duplicate key means "already applied" or "a newer version
 * is stored" (a versioned upsert whose filter missed tries to insert the existing _id), and makes
 * sure every other operation still lands.
 *
 * MongoDB carries on past a failed operation of an unordered bulk write; FerretDB 1.x stops at the
 * first one, silently dropping the rest. So the operations after the first failure are submitted
 * again, until a write succeeds: every operation must therefore be idempotent (versioned, guarded
 * by an id, or a plain `$set`): on MongoDB they are applied twice.
 */
export async function bulkWriteSkippingDuplicates<Op>(write: (ops: Op[]) => Promise<unknown>, ops: readonly Op[]): Promise<void> {
  let pending = [...ops];
  while (pending.length > 0) {
    try {
      await write(pending);
      return;
    } catch (err) {
      const failed = duplicateKeyIndexes(err);
      if (!failed) throw err;
      const first = Math.min(...failed);
      const failedAt = new Set(failed);
      pending = pending.filter((_, i) => i > first && !failedAt.has(i));
    }
  }
}

type Version = string | number | Date;

/** One document write that lands only if `version` is newer than the stored one. */
export interface VersionedWrite {
  _id: string;
  version: Version;
  set: Record<string, unknown>;
  unset?: string[];
  /** Fields written only when the document is created. */
  onInsert?: Record<string, unknown>;
}

/** The part of a MongoDB collection versioned writes use (the native driver's, or mongoose's proxy of it). */
export interface VersionedCollection {
  find(filter: object, options: { projection: object }): { toArray(): Promise<object[]> };
  insertMany(docs: object[], options: { ordered: boolean }): Promise<unknown>;
  bulkWrite(ops: object[], options: { ordered: boolean }): Promise<{ matchedCount: number }>;
}

export interface VersionedResult {
  inserted: number;
  updated: number;
  stale: number;
}

const newer = (a: Version, b: unknown) => b === undefined || b === null || (b as Version) < a;

/**
 * Applies versioned writes: reads the stored versions of the batch in one query, inserts what is
 * new, updates what is older with a compare-and-set on the version it read, and skips the rest as
 * stale. A lost race (another writer inserted or moved the version in between) is simply read again.
 *
 * Why not one `updateOne({_id, version < v}, upsert)` per document: FerretDB can't use the _id index
 * for that filter, so every such upsert of a new document scans the collection (38 ms each at 1,000
 * documents, against 0.1 ms per document for a bulk insert).
 */
export async function applyVersioned(collection: VersionedCollection, versionField: string, writes: readonly VersionedWrite[], maxRounds = 10): Promise<VersionedResult> {
  const result: VersionedResult = { inserted: 0, updated: 0, stale: 0 };
  // Within one batch only the newest write per document matters.
  const latest = new Map<string, VersionedWrite>();
  for (const w of writes) {
    const seen = latest.get(w._id);
    if (!seen || newer(w.version, seen.version)) latest.set(w._id, w);
  }
  result.stale += writes.length - latest.size;
  let pending = [...latest.values()];
  for (let round = 0; pending.length > 0; round++) {
    if (round === maxRounds) throw new Error(`versioned writes still conflicting after ${maxRounds} rounds (ids ${pending.map((w) => w._id).join(', ')})`);
    const stored = await collection.find({ _id: { $in: pending.map((w) => w._id) } }, { projection: { [versionField]: 1 } }).toArray();
    const versions = new Map(stored.map((d) => [(d as { _id: string })._id, (d as Record<string, unknown>)[versionField]]));
    const inserts: VersionedWrite[] = [];
    const updates: { write: VersionedWrite; was: unknown }[] = [];
    for (const w of pending) {
      if (!versions.has(w._id)) inserts.push(w);
      else if (newer(w.version, versions.get(w._id))) updates.push({ write: w, was: versions.get(w._id) });
      else result.stale++;
    }
    const retry: VersionedWrite[] = [];
    if (inserts.length > 0) {
      try {
        await collection.insertMany(inserts.map((w) => ({ _id: w._id, ...w.onInsert, ...w.set, [versionField]: w.version })), { ordered: false });
        result.inserted += inserts.length;
      } catch (err) {
        const failed = duplicateKeyIndexes(err);
        if (!failed) throw err;
        // Someone created them meanwhile; and FerretDB stops at the first failure: recheck from there.
        const first = Math.min(...failed);
        result.inserted += first;
        retry.push(...inserts.slice(first));
      }
    }
    if (updates.length > 0) {
      const ops = updates.map(({ write: w, was }) => ({
        updateOne: {
          filter: { _id: w._id, [versionField]: was === undefined || was === null ? { $exists: false } : was },
          update: { $set: { ...w.set, [versionField]: w.version }, ...(w.unset?.length ? { $unset: Object.fromEntries(w.unset.map((f) => [f, ''])) } : {}) },
        },
      }));
      const { matchedCount } = await collection.bulkWrite(ops, { ordered: false });
      // Which ones lost the race isn't reported: re-reading finds them applied (stale) or to redo.
      if (matchedCount < updates.length) retry.push(...updates.map((u) => u.write));
      else result.updated += updates.length;
    }
    pending = retry;
  }
  return result;
}
