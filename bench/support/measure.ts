import type { Admin } from 'kafkajs';
import { committedSince, type Offsets } from './kafka';
import type { ResultRow, Unit } from './report';
import { errorText, fmtInt, log, median, now, sleep } from './util';

export interface LoopResult {
  /** Units (events, emails) completed per second inside the measured window. */
  rate: number;
  completed: number;
  errors: number;
  firstError?: string;
  latencies: number[];
}

/**
 * A closed loop: `clients` lanes each run `op` back to back for warm-up + measured seconds; only
 * operations that complete inside the measured window count. `op` returns how many units it did.
 */
export async function closedLoop(clients: number, warmupMs: number, durationMs: number, op: (lane: number, seq: number) => Promise<number>): Promise<LoopResult> {
  const start = now();
  const measureFrom = start + warmupMs;
  const end = measureFrom + durationMs;
  let completed = 0;
  let errors = 0;
  let firstError: string | undefined;
  const latencies: number[] = [];
  let seq = 0;
  await Promise.all(
    Array.from({ length: clients }, async (_, lane) => {
      while (now() < end) {
        const t = now();
        try {
          const n = await op(lane, seq++);
          const done = now();
          if (done >= measureFrom && done <= end) {
            completed += n;
            latencies.push(done - t);
          }
        } catch (err) {
          errors++;
          firstError ??= errorText(err);
          await sleep(20);
        }
      }
    }),
  );
  return { rate: completed / (durationMs / 1000), completed, errors, firstError, latencies };
}

/**
 * Throughput of a consumer over a backlog, from its progress: the rate between the first progress
 * seen (so start-up and group join don't count) and the moment all `expected` events are done.
 */
export async function rateFromProgress(progress: () => Promise<number>, expected: number, timeoutMs: number, everyMs = 50): Promise<{ rate: number; seconds: number }> {
  const deadline = now() + timeoutMs;
  let first: { t: number; n: number } | undefined;
  let said = now();
  for (;;) {
    const n = await progress();
    const t = now();
    if (t - said > 10_000) {
      log(`  … ${fmtInt(n)} of ${fmtInt(expected)} done`);
      said = t;
    }
    if (!first && n > 0) first = { t, n };
    if (n >= expected) {
      if (!first || first.n >= expected || t === first.t) throw new Error('the backlog was done before progress could be timed; use a larger backlog');
      return { rate: (expected - first.n) / ((t - first.t) / 1000), seconds: (t - first.t) / 1000 };
    }
    if (t > deadline) throw new Error(`only ${n} of ${expected} events done after ${Math.round(timeoutMs / 1000)} s`);
    await sleep(everyMs);
  }
}

export const committedProgress = (admin: Admin, groupId: string, topic: string, from: Offsets) => () => committedSince(admin, groupId, topic, from);

/** A throughput row: median of the rounds on each side, ratio against `targetRatio` of the baseline. */
export function throughputRow(section: string, measure: string, unit: Unit, svc: number[], base: number[], targetRatio: number, note?: string): ResultRow {
  const jobstream = median(svc);
  const baseline = median(base);
  const ratio = jobstream / baseline;
  const met = ratio >= targetRatio;
  const pct = Math.round(ratio * 100);
  const goal = Math.round(targetRatio * 100);
  return {
    section,
    measure,
    unit,
    jobstream,
    baseline,
    target: `≥ ${goal} % of baseline`,
    met,
    margin: met ? `+${pct - goal} pts` : `${goal - pct} pts short`,
    note,
    samples: { jobstream: svc, baseline: base },
  };
}
