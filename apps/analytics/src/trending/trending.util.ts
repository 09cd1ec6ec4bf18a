/**
 * Trending = Σ weight(kind) · 2^(-(now - t) / halfLife) over engagement events.
 *
 * Rewriting every item as time passes is avoided by measuring time from a fixed reference epoch:
 * Σ w·2^((t - T0)/h) only ever grows, and dividing by 2^((now - T0)/h) gives the decayed score.
 * The raw sum overflows a double after ~1000 half-lives, so it is stored as its base-2 logarithm
 * and events are added with log-sum-exp. Ranking by the stored log is ranking by the decayed score.
 */
export const TRENDING_EPOCH_MS = Date.UTC(2024, 0, 1);

export type EngagementKind = 'view' | 'apply-click' | 'scrap' | 'unscrap' | 'mock-application';

export interface TrendingWeights {
  view: number;
  'apply-click': number;
  scrap: number;
  'mock-application': number;
}

/** log2 of one event's contribution w·2^((t - T0)/h); null when the kind carries no weight. */
export function logContribution(weight: number, occurredAtMs: number, halfLifeMs: number): number | null {
  if (!(weight > 0)) return null;
  return Math.log2(weight) + (occurredAtMs - TRENDING_EPOCH_MS) / halfLifeMs;
}

/** log2(2^a + 2^b) without overflow; `null` is the log of an empty sum. */
export function logSumExp2(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  const hi = Math.max(a, b);
  return hi + Math.log2(1 + 2 ** (Math.min(a, b) - hi));
}

/** The decayed score now, from a stored log-score. */
export function decayedScore(logScore: number | null, nowMs: number, halfLifeMs: number): number {
  if (logScore === null) return 0;
  return 2 ** (logScore - (nowMs - TRENDING_EPOCH_MS) / halfLifeMs);
}

/** The score rounded for display (scores are relative; 4 decimals are plenty). */
export const displayScore = (score: number): number => Math.round(score * 10_000) / 10_000;
