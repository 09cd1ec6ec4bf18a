import { cursorAfter, decodeCursor, keyOf, searchFilter, tokenize } from './search.util';

describe('search helpers', () => {
  it('tokenizes titles, skills and names into lower-case words, keeping C++ and C#', () => {
    expect(tokenize('Backend Engineer Intern (TikTok) - 2026 Start (BS/MS)')).toEqual(['backend', 'engineer', 'intern', 'tiktok', '2026', 'start', 'bs', 'ms']);
    expect(tokenize('C++, C#, Node.js')).toEqual(['c++', 'c#', 'node', 'js']);
    expect(tokenize('Zürich Café')).toEqual(['zurich', 'cafe']);
    expect(keyOf('  San  Francisco ')).toBe('san francisco');
  });

  it('round-trips cursors and refuses tampered or mismatched ones', () => {
    const doc = { _id: 'p9', postedAt: new Date('2026-10-01T00:00:00Z'), trendingScore: 4.5 };
    expect(decodeCursor(cursorAfter(doc, 'recent'), 'recent')).toEqual({ sort: 'recent', postedAt: '2026-10-01T00:00:00.000Z', id: 'p9' });
    expect(decodeCursor(cursorAfter(doc, 'trending'), 'trending')).toMatchObject({ score: 4.5 });
    expect(decodeCursor(cursorAfter(doc, 'recent'), 'trending')).toBeUndefined();
    expect(decodeCursor('not-a-cursor', 'recent')).toBeUndefined();
    expect(decodeCursor(Buffer.from('{"sort":"recent","id":{"$gt":""},"postedAt":"x"}').toString('base64url'), 'recent')).toBeUndefined();
  });

  it('builds one ANDed filter over published postings, continuing after the cursor', () => {
    const filter = searchFilter({
      q: 'Backend TypeScript',
      location: 'Singapore',
      skills: ['React'],
      sort: 'recent',
      limit: 10,
      cursor: { sort: 'recent', postedAt: '2026-10-01T00:00:00.000Z', id: 'p9' },
    });
    expect(filter).toEqual({
      $and: [
        { status: 'published' },
        { searchTokens: { $all: ['backend', 'typescript'] } },
        { locationKey: 'singapore' },
        { skillKeys: { $all: ['react'] } },
        { $or: [{ postedAt: { $lt: new Date('2026-10-01T00:00:00Z') } }, { postedAt: new Date('2026-10-01T00:00:00Z'), _id: { $lt: 'p9' } }] },
      ],
    });
    expect(searchFilter({ sort: 'recent', limit: 10 })).toEqual({ status: 'published' });
  });
});
