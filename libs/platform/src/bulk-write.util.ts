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
 * FerretDB 1.x (SQLite) keeps the query of every statement of an `update` command open until the
 * whole command ends (its handler defers each statement's close to the end of the command), one
 * SQLite connection each, and its pool holds 100 connections per database. A command of about 100
 * statements, or a few concurrent ones adding up to that, then waits forever for a connection it
 * holds itself, and every later query on that database queues behind it: the wedge seen in replays
 * (goroutine dump: 100 open `Rows`, all created by one `update`, which waits in `DB.conn`).
 * So write statements go out in commands of at most STATEMENTS_PER_COMMAND, and a process has at
 * most STATEMENTS_IN_FLIGHT of them in flight. MongoDB has no such limit; there the cost is a few
 * more round trips per batch.
 */
export const STATEMENTS_PER_COMMAND = 25;
export const STATEMENTS_IN_FLIGHT = 50;

/** A FIFO counting semaphore: `run(n, fn)` waits until n permits are free, holds them while fn runs. */
export class StatementBudget {
  private free: number;
  private readonly waiting: { n: number; wake: () => void }[] = [];

  constructor(readonly permits: number) {
    this.free = permits;
  }

  async run<T>(n: number, fn: () => Promise<T>): Promise<T> {
    const take = Math.min(n, this.permits);
    if (this.waiting.length > 0 || this.free < take) await new Promise<void>((wake) => this.waiting.push({ n: take, wake }));
    else this.free -= take;
    try {
      return await fn();
    } finally {
      this.free += take;
      // First come, first served: a large request at the head isn't overtaken by smaller ones.
      while (this.waiting.length > 0 && this.free >= this.waiting[0].n) {
        const next = this.waiting.shift()!;
        this.free -= next.n;
        next.wake();
      }
    }
  }

  get inUse(): number {
    return this.permits - this.free;
  }
}

/** Shared by every bulk write of this process (the pool it protects is the server's, per database). */
export const statementBudget = new StatementBudget(STATEMENTS_IN_FLIGHT);

/** `ops` cut into commands of at most STATEMENTS_PER_COMMAND. */
export function commandsOf<Op>(ops: readonly Op[], size = STATEMENTS_PER_COMMAND): Op[][] {
  const out: Op[][] = [];
  for (let i = 0; i < ops.length; i += size) out.push(ops.slice(i, i + size));
  return out;
}

/**
 * Runs an unordered bulk write in which a duplicate key means "already applied" or "a newer version
 * is stored" (a versioned upsert whose filter missed tries to insert the existing _id), and makes
 * sure every other operation still lands. Sent in commands of at most STATEMENTS_PER_COMMAND
 * within the process's statement budget (see above).
 *
 * MongoDB carries on past a failed operation of an unordered bulk write; FerretDB 1.x stops at the
 * first one, silently dropping the rest. So the operations after the first failure are submitted
 * again, until a write succeeds: every operation must therefore be idempotent (versioned, guarded
 * by an id, or a plain `$set`): on MongoDB they are applied twice.
 */
export async function bulkWriteSkippingDuplicates<Op>(write: (ops: Op[]) => Promise<unknown>, ops: readonly Op[], budget = statementBudget): Promise<void> {
  for (const command of commandsOf(ops)) {
    let pending = command;
    while (pending.length > 0) {
      try {
        const sending = pending;
        await budget.run(sending.length, () => write(sending));
        break;
      } catch (err) {
        const failed = duplicateKeyIndexes(err);
        if (!failed) throw err;
        const first = Math.min(...failed);
        const failedAt = new Set(failed);
        pending = pending.filter((_, i) => i > first && !failedAt.has(i));
      }
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
  bulkWrite(ops: object[], options: { ordered: boolean }): Promise<{ matchedCount: number; upsertedCount?: number; modifiedCount?: number }>;
}

export interface VersionedResult {
  inserted: number;
  updated: number;
  stale: number;
  /** Documents whose newest write of the batch was not applied: what is stored is as new or newer. */
  skipped: string[];
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
  const result: VersionedResult = { inserted: 0, updated: 0, stale: 0, skipped: [] };
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
      else {
        result.stale++;
        result.skipped.push(w._id);
      }
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
      const commands = commandsOf(ops);
      for (const [c, command] of commands.entries()) {
        const { matchedCount } = await statementBudget.run(command.length, () => collection.bulkWrite(command, { ordered: false }));
        const writes = updates.slice(c * STATEMENTS_PER_COMMAND, c * STATEMENTS_PER_COMMAND + command.length).map((u) => u.write);
        // Which ones lost the race isn't reported: re-reading finds them applied (stale) or to redo.
        if (matchedCount < command.length) retry.push(...writes);
        else result.updated += command.length;
      }
    }
    pending = retry;
  }
  return result;
}
