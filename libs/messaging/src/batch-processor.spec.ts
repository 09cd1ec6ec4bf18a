import { createEvent } from '@jobstream/contracts';
import { EventExamples } from '@jobstream/contracts/examples';
import { processSlice, type BatchProcessorDeps, type ConsumedEvent, type ConsumedMessage, type DeadLetter } from './batch-processor';
import { BrokerUnavailableError, PermanentEventError } from './errors';

const message = (offset: number, value: unknown): ConsumedMessage => ({
  topic: 'companies',
  partition: 0,
  offset: String(offset),
  key: Buffer.from('k'),
  value: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)),
});
const company = (id: string) => createEvent('company.upserted', { companyId: id, name: id }, 'test');

function deps(handler: BatchProcessorDeps['handler'], overrides: Partial<BatchProcessorDeps> = {}) {
  const letters: DeadLetter[] = [];
  const d: BatchProcessorDeps = {
    handler,
    deadLetter: async (l) => void letters.push(...l),
    maxRetries: 2,
    retryBaseMs: 1,
    shouldContinue: () => true,
    heartbeat: async () => undefined,
    onError: () => undefined,
    sleep: async () => undefined,
    ...overrides,
  };
  return { d, letters };
}

describe('processSlice', () => {
  it('hands every valid event to the handler in one batch, in order', async () => {
    const seen: ConsumedEvent[][] = [];
    const { d, letters } = deps(async (events) => void seen.push(events));
    const out = await processSlice([message(1, company('a')), message(2, company('b'))], d);
    expect(out).toEqual({ done: true, handled: 2, deadLettered: 0 });
    expect(seen).toHaveLength(1);
    expect(seen[0].map((e) => [e.event.key, e.offset])).toEqual([['a', '1'], ['b', '2']]);
    expect(letters).toEqual([]);
  });

  it('dead-letters malformed messages with the reason and goes on', async () => {
    const seen: string[] = [];
    const { d, letters } = deps(async (events) => void seen.push(...events.map((e) => e.event.key)));
    const out = await processSlice([message(1, '{oops'), message(2, company('b')), message(3, { ...company('c'), data: {} })], d);
    expect(out).toEqual({ done: true, handled: 1, deadLettered: 2 });
    expect(seen).toEqual(['b']);
    expect(letters.map((l) => [l.message.offset, l.error])).toEqual([
      ['1', expect.stringContaining('value is not JSON')],
      ['3', expect.stringContaining('/data/companyId is required')],
    ]);
  });

  it('hands on an event read without a field a later bound refuses, and reports what it left out', async () => {
    const seen: unknown[] = [];
    const leftOut: [string, string][] = [];
    const { d, letters } = deps(async (events) => void seen.push(...events.map((e) => e.event.data)), { onLeftOut: (m, what) => leftOut.push([m.offset, what]) });
    const posting = createEvent('posting.published', { ...EventExamples['posting.published'], payRange: { min: 1e43, max: 1.1e43, currency: 'USD', interval: 'year' } } as never, 'test');
    const out = await processSlice([{ ...message(7, posting), topic: 'postings' }], d);
    expect(out).toEqual({ done: true, handled: 1, deadLettered: 0 });
    expect(letters).toEqual([]);
    expect(seen).toEqual([expect.not.objectContaining({ payRange: expect.anything() })]);
    expect(leftOut).toEqual([['7', expect.stringMatching(/^\/data\/payRange has an amount above/)]]);
  });

  it('retries a failing batch, then isolates and parks only the poison event', async () => {
    const applied: string[] = [];
    const { d, letters } = deps(async (events) => {
      if (events.some((e) => e.event.key === 'poison')) throw new Error('boom');
      applied.push(...events.map((e) => e.event.key));
    });
    const out = await processSlice([message(1, company('a')), message(2, company('poison')), message(3, company('c'))], d);
    expect(out).toEqual({ done: true, handled: 3, deadLettered: 1 });
    expect(applied).toEqual(['a', 'c']);
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ error: 'Error: boom', attempts: 3 });
    expect(letters[0].message.offset).toBe('2');
  });

  it('parks a PermanentEventError without retrying it', async () => {
    let calls = 0;
    const { d, letters } = deps(async () => {
      calls++;
      throw new PermanentEventError('unknown company');
    });
    await processSlice([message(1, company('a'))], d);
    expect(calls).toBe(1);
    expect(letters[0]).toMatchObject({ attempts: 1, error: 'PermanentEventError: unknown company' });
  });

  it('applies the rest again as one batch and tries alone only the events a PermanentEventError names', async () => {
    const batches: string[][] = [];
    const { d, letters } = deps(async (events) => {
      batches.push(events.map((e) => e.event.key));
      const bad = events.filter((e) => e.event.key.startsWith('bad'));
      if (bad.length > 0) throw new PermanentEventError('refused', { eventIds: bad.map((e) => e.event.id) });
    });
    const keys = ['a', 'bad1', 'b', 'c', 'bad2', 'd'];
    const out = await processSlice(keys.map((k, i) => message(i + 1, company(k))), d);
    expect(out).toEqual({ done: true, handled: 6, deadLettered: 2 });
    expect(batches).toEqual([keys, ['a', 'b', 'c', 'd'], ['bad1'], ['bad2']]);
    expect(letters.map((l) => l.message.offset)).toEqual(['2', '5']);
  });

  it('falls back to one by one when the rest of a named slice fails too, or the names are not a part of it', async () => {
    const batches: string[][] = [];
    const { d, letters } = deps(async (events) => {
      batches.push(events.map((e) => e.event.key));
      const bad = events.filter((e) => e.event.key === 'bad');
      if (bad.length > 0) throw new PermanentEventError('refused', { eventIds: bad.map((e) => e.event.id) });
      if (events.some((e) => e.event.key === 'hidden')) throw new PermanentEventError('hidden');
    });
    await processSlice(['a', 'bad', 'hidden'].map((k, i) => message(i + 1, company(k))), d);
    expect(batches).toEqual([['a', 'bad', 'hidden'], ['a', 'hidden'], ['a'], ['bad'], ['hidden']]);
    expect(letters.map((l) => l.message.offset)).toEqual(['2', '3']);

    batches.length = 0;
    const { d: d2 } = deps(async (events) => {
      batches.push(events.map((e) => e.event.key));
      throw new PermanentEventError('all of them', { eventIds: events.map((e) => e.event.id) });
    });
    await processSlice(['a', 'b'].map((k, i) => message(i + 1, company(k))), d2);
    expect(batches).toEqual([['a', 'b'], ['a'], ['b']]);
  });

  it('retries dependency outages beyond maxRetries and never parks for them', async () => {
    let calls = 0;
    const { d, letters } = deps(async () => {
      if (++calls < 10) throw new BrokerUnavailableError('down');
    });
    const out = await processSlice([message(1, company('a'))], d);
    expect(out).toEqual({ done: true, handled: 1, deadLettered: 0 });
    expect(calls).toBe(10);
    expect(letters).toEqual([]);
  });

  it('stops without committing when the consumer is shutting down mid-outage', async () => {
    let running = true;
    const { d, letters } = deps(
      async () => {
        running = false;
        throw new BrokerUnavailableError('down');
      },
      { shouldContinue: () => running },
    );
    expect(await processSlice([message(1, company('a'))], d)).toEqual({ done: false });
    expect(letters).toEqual([]);
  });
});
