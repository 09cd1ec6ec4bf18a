import { topicLag } from './lag.command';

describe('topicLag', () => {
  const ranges = [
    { partition: 0, low: 0n, high: 10n },
    { partition: 1, low: 5n, high: 8n },
    { partition: 2, low: 0n, high: 4n },
  ];

  it('sums end minus committed over the committed partitions', () => {
    expect(topicLag('g', 't', [{ partition: 0, offset: '7' }, { partition: 1, offset: '8' }, { partition: 2, offset: '-1' }], ranges)).toEqual({
      group: 'g',
      topic: 't',
      partitions: 3,
      lag: 3n,
      uncommitted: 1,
    });
  });

  it('counts from the first stored offset when retention removed what the group had not read', () => {
    expect(topicLag('g', 't', [{ partition: 1, offset: '2' }], ranges).lag).toBe(3n);
  });
});
