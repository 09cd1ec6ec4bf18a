import { keyOf, tokenize } from './text.util';

describe('search text helpers', () => {
  it('tokenizes titles, skills and names into lower-case words, keeping C++ and C#', () => {
    expect(tokenize('Backend Engineer Intern (TikTok) - 2026 Start (BS/MS)')).toEqual(['backend', 'engineer', 'intern', 'tiktok', '2026', 'start', 'bs', 'ms']);
    expect(tokenize('C++, C#, Node.js')).toEqual(['c++', 'c#', 'node', 'js']);
    expect(tokenize('Zürich Café')).toEqual(['zurich', 'cafe']);
    expect(keyOf('  San  Francisco ')).toBe('san francisco');
  });
});
