import { normalizeRef, summarize } from './dead-letters.command';
import { formatTable } from './topic-reader.util';

describe('dead letter summaries', () => {
  const letter = (offset: string, value: string) => ({
    partition: 0,
    offset,
    key: 'k',
    value: Buffer.from(value),
    timestamp: '2026-01-01T00:00:00.000Z',
    headers: { 'dlq-error': 'boom', 'dlq-origin-topic': 'companies', 'dlq-origin-partition': '2', 'dlq-origin-offset': '9', 'dlq-attempts': '3', 'dlq-failed-at': '2026-01-02T00:00:00.000Z' },
  });

  it('names the event, where it came from, and whether --all already re-drove it', () => {
    const cursor = new Map([[0, 5n]]);
    expect(summarize(letter('4', JSON.stringify({ id: 'e1', type: 'company.upserted' })), cursor)).toEqual({
      ref: '0:4',
      failedAt: '2026-01-02T00:00:00.000Z',
      origin: 'companies/2@9',
      attempts: 3,
      eventType: 'company.upserted',
      eventId: 'e1',
      error: 'boom',
      redriven: true,
    });
    expect(summarize(letter('5', '{nope'), cursor)).toMatchObject({ eventType: '(not JSON)', eventId: '?', redriven: false });
  });

  it('takes an offset or partition:offset', () => {
    expect(normalizeRef('7')).toBe('0:7');
    expect(normalizeRef('1:7')).toBe('1:7');
    expect(() => normalizeRef('x')).toThrow('not a dead letter reference');
  });

  it('pads table columns to their widest cell', () => {
    expect(formatTable(['a', 'bb'], [['ccc', 'd']])).toBe('a    bb\n---  --\nccc  d');
  });
});
