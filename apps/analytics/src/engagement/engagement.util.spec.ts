import { decayedScore } from '../trending/trending.util';
import { engagementItem, lastDays, utcDay } from './engagement.util';

const weights = { view: 1, 'apply-click': 5, scrap: 3, 'mock-application': 4 };
const HOUR = 3_600_000;

describe('engagement items', () => {
  const now = Date.parse('2025-06-15T12:00:00Z');
  const base = { id: 'e1', data: { postingId: 'p1', viewerId: 'v1' } };

  it('buckets by UTC day and keeps the 30-day window', () => {
    expect(lastDays(now)).toHaveLength(30);
    expect(lastDays(now)[29]).toBe('2025-06-15');
    expect(lastDays(now)[0]).toBe('2025-05-17');
    expect(utcDay(Date.parse('2025-06-14T23:59:59Z'))).toBe('2025-06-14');
    expect(engagementItem({ ...base, kind: 'view', occurredAt: '2025-06-15T00:30:00Z' }, weights, 24 * HOUR, now).day).toBe('2025-06-15');
    expect(engagementItem({ ...base, kind: 'view', occurredAt: '2025-04-01T00:00:00Z' }, weights, 24 * HOUR, now).day).toBe('');
  });

  it('weighs by kind and decays by age', () => {
    const click = engagementItem({ ...base, kind: 'apply-click', occurredAt: new Date(now - 24 * HOUR).toISOString() }, weights, 24 * HOUR, now);
    expect(decayedScore(Number(click.logScore), now, 24 * HOUR)).toBeCloseTo(2.5, 10);
    expect(engagementItem({ ...base, kind: 'unscrap', occurredAt: new Date(now).toISOString() }, weights, HOUR, now).logScore).toBe('');
  });

  it('never scores a future-dated event above its weight', () => {
    const future = engagementItem({ ...base, kind: 'view', occurredAt: new Date(now + 100 * HOUR).toISOString() }, weights, HOUR, now);
    expect(decayedScore(Number(future.logScore), now, HOUR)).toBeCloseTo(1, 10);
  });
});
