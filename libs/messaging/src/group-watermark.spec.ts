import { missing, type Watermark } from './group-watermark';

describe('group watermark', () => {
  const mark: Watermark = new Map([
    ['postings', new Map([[0, 10n], [1, 0n], [2, 5n]])],
    ['companies', new Map([[0, 3n]])],
  ]);

  it('lists every partition whose committed offset is below the mark', () => {
    expect(
      missing(mark, [
        { topic: 'postings', partitions: [{ partition: 0, offset: '9' }, { partition: 1, offset: '-1' }, { partition: 2, offset: '-1' }] },
        { topic: 'companies', partitions: [{ partition: 0, offset: '3' }] },
      ]),
    ).toEqual(['postings[0] 9/10', 'postings[2] none/5']);
  });

  it('is empty once everything up to the mark is committed (an empty partition needs nothing)', () => {
    expect(
      missing(mark, [
        { topic: 'postings', partitions: [{ partition: 0, offset: '12' }, { partition: 1, offset: '-1' }, { partition: 2, offset: '5' }] },
        { topic: 'companies', partitions: [{ partition: 0, offset: '3' }] },
      ]),
    ).toEqual([]);
  });

  it('treats a topic the group never committed on as not reached', () => {
    expect(missing(mark, [])).toEqual(['postings[0] none/10', 'postings[2] none/5', 'companies[0] none/3']);
  });
});
