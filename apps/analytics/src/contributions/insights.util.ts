/**
 * The numbers of DESIGN.md "Numbers the read side computes", as plain functions so anyone can
 * check them (see insights.util.spec.ts).
 */

/** Percentile by linear interpolation between closest ranks (numpy's default 'linear' method). */
export function percentile(sortedAscending: readonly number[], p: number): number | null {
  const n = sortedAscending.length;
  if (n === 0) return null;
  if (p < 0 || p > 100) throw new RangeError(`percentile ${p} is outside 0..100`);
  const h = ((n - 1) * p) / 100;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sortedAscending[lo] + (h - lo) * (sortedAscending[hi] - sortedAscending[lo]);
}

export const sortNumbers = (values: readonly number[]): number[] => [...values].sort((a, b) => a - b);

/** Rounds to `decimals` places; a value exactly half-way rounds up. null stays null. */
export function roundTo(value: number | null, decimals: number): number | null {
  if (value === null) return null;
  const f = 10 ** decimals;
  // toPrecision first so binary noise (1.15 → 1.1499999…) doesn't push a half-way value down.
  return Math.round(Number((value * f).toPrecision(12))) / f;
}

/** Mean of `sum / count` to one decimal, null when there is nothing to average. */
export function meanTo1(sum: number, count: number): number | null {
  return count === 0 ? null : roundTo(sum / count, 1);
}

/** A share as a whole percent (half-way rounds up), null when there is no denominator. */
export function wholePercent(part: number, total: number): number | null {
  return total === 0 ? null : Math.round(Number(((part * 100) / total).toPrecision(12)));
}

/**
 * Whole percents that sum to exactly 100 (largest remainder method): floor every share, then give
 * the missing points to the largest remainders; ties go to the larger count, then to the earlier
 * category. All zeros when there is nothing to share.
 */
export function largestRemainderPercents(counts: readonly number[]): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return counts.map(() => 0);
  const exact = counts.map((c) => (c * 100) / total);
  const floors = exact.map((x) => Math.floor(Number(x.toPrecision(12))));
  let missing = 100 - floors.reduce((a, b) => a + b, 0);
  const order = counts
    .map((c, i) => ({ i, c, remainder: exact[i] - floors[i] }))
    .sort((a, b) => b.remainder - a.remainder || b.c - a.c || a.i - b.i);
  for (const { i } of order) {
    if (missing <= 0) break;
    floors[i]++;
    missing--;
  }
  return floors;
}

/**
 * Items ranked by how often they occur (most first); ties keep the order in which each item was
 * first seen, so an interview process reads in its natural order when counts are equal.
 */
export function rankByFrequency(occurrences: readonly string[]): string[] {
  const counts = new Map<string, { count: number; first: number }>();
  occurrences.forEach((item, index) => {
    const seen = counts.get(item);
    if (seen) seen.count++;
    else counts.set(item, { count: 1, first: index });
  });
  return [...counts.entries()].sort((a, b) => b[1].count - a[1].count || a[1].first - b[1].first).map(([item]) => item);
}

/** Total yearly compensation of a salary report: base + stock per year + bonus (absent parts are 0). */
export const totalCompensation = (r: { baseSalary: number; stockPerYear?: number; bonus?: number }): number =>
  r.baseSalary + (r.stockPerYear ?? 0) + (r.bonus ?? 0);

export interface SalaryValues {
  totals: readonly number[];
  bases: readonly number[];
  /** Only reports that state stock; a median over nobody is null rather than 0. */
  stocks: readonly number[];
  bonuses: readonly number[];
}

export interface SalaryFigures {
  reports: number;
  medianTotal: number | null;
  rangeTotal: [number | null, number | null];
  medianBase: number | null;
  medianStock: number | null;
  medianBonus: number | null;
}

const money = (v: number | null) => roundTo(v, 2);

export function salaryFigures(values: SalaryValues): SalaryFigures {
  const totals = sortNumbers(values.totals);
  return {
    reports: totals.length,
    medianTotal: money(percentile(totals, 50)),
    rangeTotal: [money(percentile(totals, 25)), money(percentile(totals, 75))],
    medianBase: money(percentile(sortNumbers(values.bases), 50)),
    medianStock: money(percentile(sortNumbers(values.stocks), 50)),
    medianBonus: money(percentile(sortNumbers(values.bonuses), 50)),
  };
}

export const RATING_FIELDS = ['overall', 'workLifeBalance', 'compensation', 'culture', 'career', 'management'] as const;
export type RatingField = (typeof RATING_FIELDS)[number];

export interface ReviewTotals {
  count: number;
  sums: Record<RatingField, number>;
  recommended: number;
}

export function reviewSummary(t: ReviewTotals) {
  const means = Object.fromEntries(RATING_FIELDS.map((f) => [f, meanTo1(t.sums[f] ?? 0, t.count)])) as Record<RatingField, number | null>;
  return { count: t.count, ...means, recommendToFriendPercent: wholePercent(t.recommended, t.count) };
}

export interface InterviewTotals {
  count: number;
  difficultySum: number;
  durations: readonly number[];
  experience: { positive: number; neutral: number; negative: number };
  steps: readonly string[];
  questions: readonly string[];
}

export function interviewSummary(t: InterviewTotals) {
  const durations = sortNumbers(t.durations);
  const [positive, neutral, negative] = largestRemainderPercents([t.experience.positive, t.experience.neutral, t.experience.negative]);
  return {
    count: t.count,
    difficulty: meanTo1(t.difficultySum, t.count),
    durationWeeks: [roundTo(percentile(durations, 25), 1), roundTo(percentile(durations, 75), 1)] as [number | null, number | null],
    experiencePercent: { positive, neutral, negative },
    process: rankByFrequency(t.steps),
    commonQuestions: rankByFrequency(t.questions),
  };
}
