/**
 * Runs `fn` soon after each `request()`, but never two calls closer together than `gapMs`:
 * requests made while a call waits fold into it, and a request right after a call waits out the
 * rest of the gap. `fn` is never awaited here; its failure goes to `onError`.
 */
export class SpacedCalls {
  private lastAt = -Infinity;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly gapMs: number,
    private readonly fn: () => Promise<unknown>,
    private readonly onError: (err: unknown) => void,
  ) {}

  request(): void {
    if (this.timer) return;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.lastAt = Date.now();
        this.fn().catch(this.onError);
      },
      Math.max(0, this.lastAt + this.gapMs - Date.now()),
    );
  }

  /** Drops a call still waiting (at shutdown). */
  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
