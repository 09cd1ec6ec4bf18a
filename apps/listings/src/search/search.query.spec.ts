import { MAX_WORDS, decodeSearchCursor, encodeSearchCursor, facetsOf, filterClauses, mergeHighlights, searchBody, sortOf, textClauses } from './search.query';

describe('search query', () => {
  it('round-trips cursors and refuses ones of another sort or with forged values', () => {
    const c = { s: 'relevance' as const, a: [1.5, 1700000000000, 'p-1'], p: 'pit' };
    expect(decodeSearchCursor(encodeSearchCursor(c), 'relevance')).toEqual(c);
    expect(decodeSearchCursor(encodeSearchCursor(c), 'recent')).toBeUndefined();
    expect(decodeSearchCursor(encodeSearchCursor({ s: 'recent', a: ['x', 'p-1'] }), 'recent')).toBeUndefined();
    expect(decodeSearchCursor(encodeSearchCursor({ s: 'recent', a: [1] }), 'recent')).toBeUndefined();
    expect(decodeSearchCursor('not base64 json', 'recent')).toBeUndefined();
  });

  it('requires every word, each fuzzy over the weighted text fields, and folds filters like the page keys', () => {
    const words = textClauses('Kubernetes  engineer') as { bool: { should: { multi_match: { query: string; fields: string[]; fuzziness?: string } }[]; minimum_should_match: number } }[];
    expect(words.map((w) => w.bool.should[0].multi_match.query)).toEqual(['kubernetes', 'engineer']);
    // Stemmed fields match exactly; the unstemmed ones take typos.
    expect(words[0].bool.should[0].multi_match.fuzziness).toBeUndefined();
    expect(words[0].bool.should[1].multi_match).toMatchObject({ fuzziness: 'AUTO', fields: expect.arrayContaining(['title.exact^2']) });
    expect(textClauses(Array.from({ length: 40 }, (_, i) => `w${i}`).join(' '))).toHaveLength(MAX_WORDS);
    const [code] = textClauses('ipv6') as typeof words;
    expect(code.bool.should[1].multi_match.fuzziness).toBeUndefined();
    expect(mergeHighlights({ 'title.exact': ['<em>Kubernetes</em>'], description: ['a'], 'description.exact': ['b'] })).toEqual({ title: ['<em>Kubernetes</em>'], description: ['a'] });
    expect(filterClauses({ location: 'São Paulo', skills: ['Node.js', 'TypeScript'] })).toEqual([
      { term: { kind: 'posting' } },
      { term: { status: 'published' } },
      { term: { locationKey: 'sao paulo' } },
      { term: { skillKeys: 'node js' } },
      { term: { skillKeys: 'typescript' } },
    ]);
  });

  it('ends every sort with the unique posting id, so search_after never skips or repeats ties', () => {
    for (const sort of ['relevance', 'recent', 'trending'] as const) expect(sortOf(sort).at(-1)).toEqual({ postingId: { order: 'desc' } });
    expect(sortOf('relevance')[0]).toEqual({ _score: { order: 'desc' } });
  });

  it('asks one hit more than the page, highlights only with keywords, continues after the cursor', () => {
    const body = searchBody({ q: 'go', sort: 'relevance', limit: 20, cursor: { s: 'relevance', a: [1, 2, 'x'] } });
    expect(body).toMatchObject({ size: 21, search_after: [1, 2, 'x'], track_total_hits: true });
    expect(body.highlight).toBeDefined();
    expect(searchBody({ sort: 'recent', limit: 5 }).highlight).toBeUndefined();
  });

  it('turns buckets into facet counts, the company with its name', () => {
    const facets = facetsOf({ company: { buckets: [{ key: 'c1', doc_count: 3, name: { buckets: [{ key: 'Acme' }] } }] }, location: { buckets: [{ key: 'Berlin', doc_count: 2 }] } });
    expect(facets.company).toEqual([{ value: 'c1', count: 3, name: 'Acme' }]);
    expect(facets.location).toEqual([{ value: 'Berlin', count: 2 }]);
    expect(facets.skills).toEqual([]);
  });
});
