import type { EngagementKind, TrendingWeights } from '../trending/trending.util';
import { logContribution } from '../trending/trending.util';

export const KIND_OF_TYPE = {
  'posting.viewed': 'view',
  'posting.apply-clicked': 'apply-click',
  'posting.scrapped': 'scrap',
  'posting.unscrapped': 'unscrap',
  'posting.mock-applied': 'mock-application',
} as const satisfies Record<string, EngagementKind>;

export const DAILY_DAYS = 30;
const DAY_MS = 86_400_000;

/** UTC calendar day of an instant, e.g. 2025-03-09. */
export const utcDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** The last `days` UTC days ending today, oldest first. */
export function lastDays(nowMs: number, days = DAILY_DAYS): string[] {
  const today = Math.floor(nowMs / DAY_MS) * DAY_MS;
  return Array.from({ length: days }, (_, i) => utcDay(today - (days - 1 - i) * DAY_MS));
}

/** A day's bucket lives one day past the 30-day window, then Redis drops it. */
export const dayBucketExpiry = (dayStartMs: number): number => Math.floor((dayStartMs + (DAILY_DAYS + 1) * DAY_MS) / 1000);

export interface EngagementItem {
  eventId: string;
  postingId: string;
  viewerId: string;
  kind: EngagementKind;
  /** UTC day bucket, or '' when the event is too old for the daily series. */
  day: string;
  dayExpiresAt: number;
  /** log2 trending contribution, or '' when the kind weighs nothing. */
  logScore: string;
}

/** What the Lua script needs for one event, computed here so the script stays arithmetic-free. */
export function engagementItem(
  e: { id: string; occurredAt: string; data: { postingId: string; viewerId: string }; kind: EngagementKind },
  weights: TrendingWeights,
  halfLifeMs: number,
  nowMs: number,
): EngagementItem {
  // Clock skew must not let a future-dated event outrank everything: score at most at `now`.
  const at = Math.min(Date.parse(e.occurredAt), nowMs);
  const dayStart = Math.floor(at / DAY_MS) * DAY_MS;
  const expires = dayBucketExpiry(dayStart);
  const inWindow = expires * 1000 > nowMs;
  const weight = e.kind === 'unscrap' ? 0 : weights[e.kind];
  const log = logContribution(weight, at, halfLifeMs);
  return {
    eventId: e.id,
    postingId: e.data.postingId,
    viewerId: e.data.viewerId,
    kind: e.kind,
    day: inWindow ? utcDay(dayStart) : '',
    dayExpiresAt: expires,
    logScore: log === null ? '' : String(log),
  };
}
