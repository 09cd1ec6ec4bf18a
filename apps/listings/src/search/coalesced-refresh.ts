/**
 * Makes new and changed postings searchable soon after they are written, without a refresh per
 * write: `request()` after a write starts one refresh once at least `minGapMs` passed since the
 * previous one started, and requests made meanwhile share it. The index's own refresh interval
 * stays the backstop (a failed refresh only costs freshness), so nothing waits for it.
 */
export class CoalescedRefresh {
  private timer?: NodeJS.Timeout;
  private lastStart = Number.NEGATIVE_INFINITY;
  private inFlight: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly refresh: () => Promise<void>,
    private readonly minGapMs: number,
    private readonly onError: (err: unknown) => void,
    private readonly now: () => number = Date.now,
  ) {}

  request(): void {
    if (this.timer || this.closed) return;
    const wait = Math.max(0, this.lastStart + this.minGapMs - this.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      // One at a time: a refresh slower than the gap delays the next instead of overlapping it.
      this.inFlight = this.inFlight.then(() => {
        if (this.closed) return;
        this.lastStart = this.now();
        return this.refresh().catch(this.onError);
      });
    }, wait);
    this.timer.unref();
  }

  /** Drops a pending refresh and waits for one in flight (before the engine's client closes). */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.inFlight;
  }
}
