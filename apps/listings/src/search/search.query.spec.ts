import { indexDefinition } from './search-index';
import { EXACT_FIELDS, MAX_WORDS, STOP_WORDS, TEXT_FIELDS, canTakeTypos, decodeSearchCursor, encodeSearchCursor, facetsBody, facetsOf, filterClauses, mergeHighlights, searchBody, sortOf, textClauses } from './search.query';

describe('search query', () => {
  it('round-trips cursors and refuses ones of another sort or with forged values', () => {
    const c = { s: 'relevance' as const, a: [1.5, 1700000000000, 'p-1'], p: 'pit' };
    expect(decodeSearchCursor(encodeSearchCursor(c), 'relevance')).toEqual(c);
    expect(decodeSearchCursor(encodeSearchCursor(c), 'recent')).toBeUndefined();
    expect(decodeSearchCursor(encodeSearchCursor({ s: 'recent', a: ['x', 'p-1'] }), 'recent')).toBeUndefined();
    expect(decodeSearchCursor(encodeSearchCursor({ s: 'recent', a: [1] }), 'recent')).toBeUndefined();
    expect(decodeSearchCursor('not base64 json', 'recent')).toBeUndefined();
    const typo = { s: 'recent' as const, a: [1700000000000, 'p-1'], t: 1 as const };
    expect(decodeSearchCursor(encodeSearchCursor(typo), 'recent')).toEqual(typo);
    expect(decodeSearchCursor(encodeSearchCursor({ ...typo, t: 2 as never }), 'recent')).toBeUndefined();
  });

  it('requires every word over the weighted text fields, with typos only on the second pass, and folds filters like the page keys', () => {
    type Match = { multi_match: { query: string; fields: string[]; fuzziness?: string } };
    type Word = { bool: { should: Match[]; minimum_should_match: number } };
    // As written: each word over the stemmed fields once, a stop word (which they drop) over the unstemmed ones.
    const asWritten = textClauses('Kubernetes  engineer of') as Match[];
    expect(asWritten.map((w) => w.multi_match.query)).toEqual(['kubernetes', 'engineer', 'of']);
    expect(asWritten.map((w) => w.multi_match.fields)).toEqual([TEXT_FIELDS, TEXT_FIELDS, EXACT_FIELDS]);
    expect(JSON.stringify(asWritten)).not.toContain('fuzziness');
    expect(STOP_WORDS.has('it')).toBe(true);
    expect(indexDefinition('1s')).toMatchObject({ settings: { analysis: { filter: { english_stop: { stopwords: [...STOP_WORDS] } } } } });
    // With typos: the stemmed fields still match exactly; the unstemmed ones take the edits.
    const words = textClauses('Kubernetes  engineer', true) as Word[];
    expect(words[0].bool.should[0].multi_match.fuzziness).toBeUndefined();
    expect(words[0].bool.should[1].multi_match).toMatchObject({ fuzziness: 'AUTO', fields: expect.arrayContaining(['title.exact^2']) });
    expect(textClauses(Array.from({ length: 40 }, (_, i) => `w${i}`).join(' '))).toHaveLength(MAX_WORDS);
    const [code] = textClauses('ipv6', true) as Word[];
    expect(code.bool.should[1].multi_match.fuzziness).toBeUndefined();
    // A typo pass is only worth asking when some word could take an edit.
    expect(canTakeTypos('kubernets')).toBe(true);
    expect(canTakeTypos('go s3 ipv6')).toBe(false);
    expect(canTakeTypos(undefined)).toBe(false);
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
    expect(body).toMatchObject({ size: 21, search_after: [1, 2, 'x'], track_total_hits: false });
    expect(Object.keys((body.highlight as { fields: object }).fields)).toEqual(['title', 'description', 'skills', 'companyName']);
    expect(body.aggs).toBeUndefined();
    expect(searchBody({ sort: 'recent', limit: 5 }).highlight).toBeUndefined();
    // A typo cursor continues with typos, and highlights where they matched.
    const typo = searchBody({ q: 'kubernets', sort: 'relevance', limit: 20, cursor: { s: 'relevance', a: [1, 2, 'x'], t: 1 } });
    expect(JSON.stringify(typo.query)).toContain('"fuzziness":"AUTO"');
    expect(Object.keys((typo.highlight as { fields: object }).fields)).toContain('title.exact');
  });

  it('counts facets and the total in a request of its own that the engine can cache: no hits, no sort, no cursor', () => {
    const first = facetsBody({ q: 'go', location: 'Berlin', sort: 'relevance', limit: 20 });
    const later = facetsBody({ q: 'go', location: 'Berlin', sort: 'recent', limit: 5, cursor: { s: 'recent', a: [1, 'x'] } });
    expect(first).toMatchObject({ size: 0, track_total_hits: true, aggs: expect.objectContaining({ location: expect.anything(), company: expect.anything() }) });
    expect(JSON.stringify(later)).toBe(JSON.stringify(first));
    expect(first.query).toEqual(searchBody({ q: 'go', location: 'Berlin', sort: 'relevance', limit: 20 }).query);
  });

  it('turns buckets into facet counts, the company with its name', () => {
    const facets = facetsOf({ company: { buckets: [{ key: 'c1', doc_count: 3, name: { buckets: [{ key: 'Acme' }] } }] }, location: { buckets: [{ key: 'Berlin', doc_count: 2 }] } });
    expect(facets.company).toEqual([{ value: 'c1', count: 3, name: 'Acme' }]);
    expect(facets.location).toEqual([{ value: 'Berlin', count: 2 }]);
    expect(facets.skills).toEqual([]);
  });
});
