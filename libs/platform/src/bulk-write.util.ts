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
