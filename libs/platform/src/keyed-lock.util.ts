/**
 * Mutual exclusion per key within this process: `run(keys, fn)` runs fn once every earlier holder
 * of any of its keys has finished. All of a call's keys are queued for in one synchronous step, so
 * waits only ever point at earlier calls and two calls can never wait for each other.
 *
 * Why the read models need it: FerretDB 1.x applies an update by reading the document, changing it
 * in Go and writing the whole document back, with nothing in between to stop another update of the
 * same document. Two concurrent updates of *different* fields of one document (a posting's close
 * from the postings topic and its counters from posting-stats) lose one of them. MongoDB updates a
 * document atomically; there the lock only costs a little parallelism on documents written by two
 * topics at once.
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(keys: Iterable<string>, fn: () => Promise<T>): Promise<T> {
    const unique = [...new Set(keys)];
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const earlier = unique.map((k) => this.tails.get(k)).filter((p): p is Promise<void> => p !== undefined);
    for (const k of unique) this.tails.set(k, mine);
    try {
      await Promise.all(earlier);
      return await fn();
    } finally {
      release();
      for (const k of unique) if (this.tails.get(k) === mine) this.tails.delete(k);
    }
  }

  /** Keys currently held or waited for (for tests and metrics). */
  get size(): number {
    return this.tails.size;
  }
}
