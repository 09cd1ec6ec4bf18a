
interface WriteErrorShape {
  code?: number;
  writeErrors?: { code?: number; err?: { code?: number } }[];
}

/** Every failure is a duplicate key: the versioned upserts found a newer document. */
export function onlyStaleWrites(err: unknown): boolean {
  const e = err as WriteErrorShape;
  if (e.writeErrors?.length) return e.writeErrors.every((w) => (w.code ?? w.err?.code) === 11000);
  return e.code === 11000;
}

/**
 * Runs versioned upserts (`{_id, version < v}` with upsert). When the stored document is newer, the
 * filter misses and the upsert's insert hits the existing _id: that duplicate-key error means
 * "stale event, nothing to do" and is swallowed; anything else is thrown.
 */
export async function skippingStale(write: () => Promise<unknown>): Promise<void> {
  try {
    await write();
  } catch (err) {
    if (!onlyStaleWrites(err)) throw err;
  }
}
