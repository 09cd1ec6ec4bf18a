/** Keeps the highest-ordered item per key: one write per document per batch. */
export function latestBy<T>(items: readonly T[], key: (t: T) => string, newer: (a: T, b: T) => boolean): T[] {
  const out = new Map<string, T>();
  for (const item of items) {
    const k = key(item);
    const seen = out.get(k);
    if (!seen || newer(item, seen)) out.set(k, item);
  }
  return [...out.values()];
}
