import { createEvent, type AnyEvent } from '@jobstream/contracts';
import { CLOCK_SKEW_MS, companyOf, deliveryIdOf, firstDeliveryTime, retryLadder, shouldDisable, subscribedTo, webhookRetryDelay } from './webhook-policy.util';

const posting = createEvent('posting.closed', { postingId: 'p1', companyId: 'acme', revision: 2, closedAt: '2026-11-30T00:00:00.000Z' } as never, 'test') as AnyEvent;
const outcome = createEvent(
  'application.accepted',
  { applicationId: 'a1', candidateId: 'c1', postingId: 'p1', companyId: 'acme', applicant: { name: 'Ann', email: 'ann@example.com', resumeUrl: 'https://cv.example/a.pdf' }, decidedAt: '2026-11-30T00:00:00.000Z' },
  'test',
) as AnyEvent;
const outcomeWithoutCompany = { ...outcome, data: { ...outcome.data, companyId: undefined } } as AnyEvent;

describe('webhook policy', () => {
  it('delays retries exponentially under a cap, uniformly below it (full jitter)', () => {
    expect(webhookRetryDelay(1, 1000, 60_000, () => 0.999)).toBe(999);
    expect(webhookRetryDelay(4, 1000, 60_000, () => 0.5)).toBe(4000);
    expect(webhookRetryDelay(20, 1000, 60_000, () => 0.5)).toBe(30_000);
    expect(webhookRetryDelay(3, 1000, 60_000, () => 0)).toBe(1);
  });

  it('documents the default ladder: 15 attempts reach about 32 h on average, 65 h at most, beyond Greenhouse\'s 15 h', () => {
    const { capsMs, maxReachMs, expectedReachMs } = retryLadder(15, 60_000, 12 * 3600_000);
    expect(capsMs).toHaveLength(14);
    expect(capsMs.slice(0, 3)).toEqual([60_000, 120_000, 240_000]);
    expect(capsMs[13]).toBe(12 * 3600_000);
    expect(maxReachMs / 3600_000).toBeCloseTo(65.05, 1);
    expect(expectedReachMs / 3600_000).toBeCloseTo(32.5, 1);
    // Sampled (seeded): the median reach is about 32 h, and under 2 % of deliveries give up before Greenhouse's 15 h.
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const reaches = Array.from({ length: 2000 }, () => capsMs.reduce((sum, _, i) => sum + webhookRetryDelay(i + 1, 60_000, 12 * 3600_000, random), 0)).sort((a, b) => a - b);
    expect(reaches[Math.floor(reaches.length / 2)] / 3600_000).toBeGreaterThan(30);
    expect(reaches[Math.floor(reaches.length / 2)] / 3600_000).toBeLessThan(35);
    expect(reaches.filter((r) => r < 15 * 3600_000).length / reaches.length).toBeLessThan(0.02);
  });

  it('matches event types and the company filter', () => {
    expect(subscribedTo({ events: ['posting.closed'] }, posting)).toBe(true);
    expect(subscribedTo({ events: ['*'] }, posting)).toBe(true);
    expect(subscribedTo({ events: ['posting.published'] }, posting)).toBe(false);
    expect(subscribedTo({ events: ['*'], companyId: 'acme' }, posting)).toBe(true);
    expect(subscribedTo({ events: ['*'], companyId: 'other' }, posting)).toBe(false);
    expect(companyOf(posting)).toBe('acme');
  });

  it('sends restricted (PII) events only to subscriptions scoped to the event\'s company', () => {
    expect(subscribedTo({ events: ['*'] }, outcome)).toBe(false);
    expect(subscribedTo({ events: ['application.accepted'] }, outcome)).toBe(false);
    expect(subscribedTo({ events: ['application.accepted'], companyId: 'other' }, outcome)).toBe(false);
    expect(subscribedTo({ events: ['application.accepted'], companyId: 'acme' }, outcome)).toBe(true);
    expect(subscribedTo({ events: ['*'], companyId: 'acme' }, outcomeWithoutCompany)).toBe(false);
  });

  it('disables only after enough failures in a row spanning long enough', () => {
    expect(shouldDisable({ failures: 30, sinceMs: 0 }, 86_400_000, 30, 86_400_000)).toBe(true);
    expect(shouldDisable({ failures: 29, sinceMs: 0 }, 10 * 86_400_000, 30, 86_400_000)).toBe(false);
    expect(shouldDisable({ failures: 500, sinceMs: 0 }, 3600_000, 30, 86_400_000)).toBe(false);
  });

  it('derives the delivery id (the job id) from subscription and event', () => {
    expect(deliveryIdOf('sub_1', 'e1')).toBe('sub_1.e1');
  });

  it('starts a stopped webhooks group at the oldest subscription\'s creation, less the clock allowance', () => {
    const subs = [{ createdAt: '2026-11-30T10:00:05.000Z' }, { createdAt: '2026-11-30T10:00:00.000Z' }, { createdAt: '2026-11-30T11:00:00.000Z' }];
    expect(firstDeliveryTime(subs).toISOString()).toBe(new Date(Date.parse('2026-11-30T10:00:00.000Z') - CLOCK_SKEW_MS).toISOString());
    expect(CLOCK_SKEW_MS).toBeGreaterThan(0);
  });
});
