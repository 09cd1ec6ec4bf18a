import { Value } from '@sinclair/typebox/value';
import type { ValidationIssue } from './validation';
import { MAX_PAY } from './common.schema';
import type { EventType } from './catalog';
import { PayRange } from './events/posting.events';

/**
 * Bounds that tightened within schema version 1 after events beyond them had been acknowledged.
 * Such an event is read with the field left out, instead of being dead-lettered when a consumer
 * replays the log: the write was accepted then, and the rest of it still holds. Each rule names
 * what it left out, for the consumer to log.
 */
type LegacyRule = (data: Record<string, unknown>) => ValidationIssue[];

/**
 * A posting's pay range has been bounded by MAX_PAY since 2026-12-02 (ingest refuses more with a
 * 400). Before, any amount was accepted: a range above the bound is read as no range, the posting
 * as it was otherwise (its search document's pay fields are longs, which 1e43 doesn't fit).
 */
const payRangeWithinBound: LegacyRule = (data) => {
  const pay = data.payRange as Record<string, unknown> | undefined;
  if (!pay || typeof pay !== 'object') return [];
  const { min, max, currency, interval } = pay;
  if (typeof min !== 'number' || typeof max !== 'number' || Math.max(min, max) <= MAX_PAY) return [];
  // Only what was valid then: the same range with its amounts within the bound must pass today's schema.
  if (!Value.Check(PayRange, { min: Math.min(min, MAX_PAY), max: Math.min(max, MAX_PAY), currency, interval })) return [];
  delete data.payRange;
  return [{ path: '/data/payRange', message: `has an amount above ${MAX_PAY} (accepted before 2026-12-02): read as no pay range` }];
};

const LEGACY_RULES: Partial<Record<EventType, LegacyRule>> = {
  'posting.published': payRangeWithinBound,
  'posting.updated': payRangeWithinBound,
  'posting.closed': payRangeWithinBound,
  'posting.expired': payRangeWithinBound,
};

/** Applies the event type's legacy rule to `data` in place; what it left out. */
export function readLegacyFields(type: EventType, data: unknown): ValidationIssue[] {
  const rule = LEGACY_RULES[type];
  return rule && data && typeof data === 'object' ? rule(data as Record<string, unknown>) : [];
}
