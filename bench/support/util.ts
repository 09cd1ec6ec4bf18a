import { performance } from 'node:perf_hooks';
import { mulberry32 } from '../../apps/ops/src/demo/demo-data';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Milliseconds on a monotonic clock. */
export const now = () => performance.now();

/** Percentile with linear interpolation between closest ranks (numpy's `linear`), like the read side. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}

export const median = (values: readonly number[]) => percentile(values, 50);
export const max = (values: readonly number[]) => (values.length === 0 ? Number.NaN : Math.max(...values));

/** Progress lines go to stderr, so stdout carries only the final table. */
export function log(message: string): void {
  const t = new Date().toISOString().slice(11, 19);
  process.stderr.write(`[bench ${t}] ${message}\n`);
}

export function fmtInt(n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a';
}

export function fmtMs(n: number): string {
  if (!Number.isFinite(n)) return 'n/a';
  if (n >= 10_000) return `${(n / 1000).toFixed(1)} s`;
  if (n >= 100) return `${Math.round(n)} ms`;
  return `${n.toFixed(1)} ms`;
}

export function fmtMb(bytes: number): string {
  return Number.isFinite(bytes) ? `${Math.round(bytes / 1024 / 1024)} MB` : 'n/a';
}

/** Polls `check` every `everyMs` until it returns a value; undefined at the deadline. */
export async function pollUntil<T>(check: () => Promise<T | undefined>, timeoutMs: number, everyMs = 100): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) return undefined;
    await sleep(everyMs);
  }
}

/** Runs `worker` over `items` with at most `limit` in flight. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, worker: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await worker(items[i], i);
    }
  });
  await Promise.all(lanes);
  return out;
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A small deterministic PRNG (mulberry32, the demo data's), so every run offers the same data. */
export const prng = mulberry32;
