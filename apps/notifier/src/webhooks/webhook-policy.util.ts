import { topicOf, type AnyEvent, type EventType } from '@jobstream/contracts';
import type { Subscription } from './webhook.types';

/**
 * Delay before retry number `attemptsMade` (1 after the first failure): exponential with full
 * jitter, uniform in [0, min(max, base·2^(attemptsMade-1))]. Full jitter spreads the retries of
 * many deliveries to one recovering endpoint instead of sending them in waves.
 */
export function webhookRetryDelay(attemptsMade: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const cap = Math.min(maxMs, baseMs * 2 ** Math.max(0, attemptsMade - 1));
  return Math.max(1, Math.floor(random() * cap));
}

/** The ladder of caps, and how far the retries reach in total: at most, and on average. */
export function retryLadder(attempts: number, baseMs: number, maxMs: number): { capsMs: number[]; maxReachMs: number; expectedReachMs: number } {
  const capsMs = Array.from({ length: Math.max(0, attempts - 1) }, (_, i) => Math.min(maxMs, baseMs * 2 ** i));
  const maxReachMs = capsMs.reduce((a, b) => a + b, 0);
  return { capsMs, maxReachMs, expectedReachMs: maxReachMs / 2 };
}

/** The company an event belongs to, when its payload names one. */
export function companyOf(event: AnyEvent): string | undefined {
  // A submitted application names its company only inside the posting ingest recorded.
  const companyId = event.type === 'application.submitted' ? event.data.posting?.companyId : (event.data as { companyId?: unknown }).companyId;
  return typeof companyId === 'string' && companyId.length > 0 ? companyId : undefined;
}

export const isRestricted = (type: EventType): boolean => topicOf(type).restricted;

/**
 * Whether a subscription receives an event (whatever its status). Restricted events carry
 * applicant PII: they go only to a subscription scoped to the event's own company, never to an
 * unscoped one, and never when the event names no company.
 */
export function subscribedTo(sub: Pick<Subscription, 'events' | 'companyId'>, event: AnyEvent): boolean {
  if (!sub.events.includes('*') && !sub.events.includes(event.type)) return false;
  const company = companyOf(event);
  if (isRestricted(event.type)) return sub.companyId !== undefined && company === sub.companyId;
  return sub.companyId === undefined || company === sub.companyId;
}

/** A failure streak: consecutive failed attempts since the first of them. */
export interface FailureStreak {
  failures: number;
  sinceMs: number;
}

/**
 * An endpoint is disabled after at least `minFailures` failed attempts in a row spanning at least
 * `minSpanMs`: both, so neither a burst of failures during a short outage nor a slow trickle of a
 * few failures over days turns a subscription off.
 */
export function shouldDisable(streak: FailureStreak, nowMs: number, minFailures: number, minSpanMs: number): boolean {
  return streak.failures >= minFailures && nowMs - streak.sinceMs >= minSpanMs;
}

/** The id of the delivery of one event to one subscription; also its BullMQ job id (so a re-consumed event is never queued twice). */
export const deliveryIdOf = (subscriptionId: string, eventId: string): string => `${subscriptionId}.${eventId}`;

/**
 * Events stamped up to this long before a subscription's creation may still be delivered to it:
 * the clocks of the hosts that stamp events (ingest) and of the one that created it may differ.
 */
export const CLOCK_SKEW_MS = 5000;

/**
 * Where a stopped webhooks group starts again: the oldest subscription's creation, less the clock
 * allowance. A subscription gets every event from its creation on, never one from long before.
 */
export function firstDeliveryTime(subs: readonly Pick<Subscription, 'createdAt'>[]): Date {
  const oldest = Math.min(...subs.map((s) => Date.parse(s.createdAt)));
  return new Date(oldest - CLOCK_SKEW_MS);
}
