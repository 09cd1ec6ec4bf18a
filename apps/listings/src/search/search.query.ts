import type { PostingSnapshot } from '@jobstream/contracts';
import type { MultiSearch } from './opensearch.gateway';
import { keyOf, tokenize } from './text.util';
import { UNREAD_POSTING_FIELDS } from './search.document';

export type SearchSort = 'relevance' | 'recent' | 'trending';

export interface SearchRequest {
  q?: string;
  location?: string;
  workplaceType?: string;
  employmentType?: string;
  skills?: string[];
  companyId?: string;
  postedAfter?: Date;
  sort: SearchSort;
  limit: number;
  cursor?: SearchCursor;
}

/**
 * Where the previous page ended: the sort values of its last hit, the point in time it reads
 * (relevance/trending), and whether its words matched with typos (`t`, see textClauses).
 */
export interface SearchCursor {
  s: SearchSort;
  a: (string | number)[];
  p?: string;
  t?: 1;
}

const SORT_KEYS: Record<SearchSort, readonly ('number' | 'string')[]> = {
  relevance: ['number', 'number', 'string'],
  recent: ['number', 'string'],
  trending: ['number', 'number', 'string'],
};

export function encodeSearchCursor(cursor: SearchCursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

export function decodeSearchCursor(raw: string, sort: SearchSort): SearchCursor | undefined {
  try {
    const c = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Partial<SearchCursor>;
    if (c.s !== sort || !Array.isArray(c.a)) return undefined;
    const kinds = SORT_KEYS[sort];
    if (c.a.length !== kinds.length || !c.a.every((v, i) => typeof v === kinds[i] && (typeof v !== 'number' || Number.isFinite(v)))) return undefined;
    if (c.p !== undefined && (typeof c.p !== 'string' || c.p.length > 1500)) return undefined;
    if (c.t !== undefined && c.t !== 1) return undefined;
    return { s: c.s, a: c.a, ...(c.p ? { p: c.p } : {}), ...(c.t ? { t: c.t } : {}) };
  } catch {
    return undefined;
  }
}

/** Relevance weights: a match in the title counts most, then skills and the company, then the description. */
export const TEXT_FIELDS = ['title^3', 'skills^2', 'companyName^2', 'description'];
/** The same fields unstemmed, where typos are matched (a little below an exact or stemmed match). */
export const EXACT_FIELDS = ['title.exact^2', 'skills.exact^1.5', 'companyName.exact^1.5', 'description.exact^0.7'];

type Clause = Record<string, unknown>;

/** Only published postings, every filter ANDed (exact, case- and accent-insensitive like before). */
export function filterClauses(r: Omit<SearchRequest, 'sort' | 'limit' | 'cursor'>): Clause[] {
  const filter: Clause[] = [{ term: { kind: 'posting' } }, { term: { status: 'published' } }];
  if (r.location) filter.push({ term: { locationKey: keyOf(r.location) } });
  if (r.workplaceType) filter.push({ term: { workplaceType: r.workplaceType } });
  if (r.employmentType) filter.push({ term: { employmentType: r.employmentType } });
  for (const skill of r.skills ?? []) filter.push({ term: { skillKeys: keyOf(skill) } });
  if (r.companyId) filter.push({ term: { companyId: r.companyId } });
  if (r.postedAfter) filter.push({ range: { postedAt: { gte: r.postedAfter.toISOString() } } });
  return filter;
}

/**
 * The stop words the stemmed fields drop (Lucene's English set, which the index's analysis is given
 * as this list): a query word among them can only match the unstemmed fields.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(['a', 'an', 'and', 'are', 'as', 'at', 'be', 'but', 'by', 'for', 'if', 'in', 'into', 'is', 'it', 'no', 'not', 'of', 'on', 'or', 'such', 'that', 'the', 'their', 'then', 'there', 'these', 'they', 'this', 'to', 'was', 'will', 'with']);

/**
 * Every word of `q` must match some field (as before); BM25 ranks. As written, a word matches the
 * stemmed fields, or, for a stop word ("IT", "head of"), the unstemmed ones. The unstemmed fields
 * are not also scored for every word: that gave the word's exact form a small boost over its other
 * forms and cost a quarter of a keyword search (6 of 24 ms at the median over 100,000 postings here,
 * and most of its p99), since a common word's postings were scored twice over.
 * With `typos`, each word also matches the unstemmed fields with edits (fuzziness AUTO: none up to 2
 * letters, 1 edit up to 5, 2 beyond; the first letter must match). Typos are the second pass (see
 * SearchService): like Typesense's typo_tokens_threshold, the words are first matched as written,
 * and only a search they match nothing for is retried with typos, because fuzzy expansion, and above
 * all highlighting what it matched, costs most of a search (≈45 of 75 ms at 100,000 postings here).
 */
export function textClauses(q: string | undefined, typos = false): Clause[] {
  return (q ? tokenize(q) : []).slice(0, MAX_WORDS).map((word) => {
    if (!typos) return { multi_match: { query: word, fields: STOP_WORDS.has(word) ? EXACT_FIELDS : TEXT_FIELDS, type: 'best_fields' } };
    return {
      bool: {
        should: [
          { multi_match: { query: word, fields: TEXT_FIELDS, type: 'best_fields' } },
          // Words with digits are codes, versions, numbers ("s3", "ipv6", "7"): a typo there is another thing.
          { multi_match: { query: word, fields: EXACT_FIELDS, type: 'best_fields', ...(/\d/.test(word) ? {} : { fuzziness: 'AUTO', prefix_length: 1, max_expansions: 10 }) } },
        ],
        minimum_should_match: 1,
      },
    };
  });
}

/** Whether a typo pass can find more than the search as written (a word that could take an edit). */
export const canTakeTypos = (q: string | undefined): boolean => (q ? tokenize(q) : []).slice(0, MAX_WORDS).some((w) => w.length > 2 && !/\d/.test(w));

/** Words of `q` searched; more are ignored (each fuzzy word expands to several terms per field, and the engine caps the total). */
export const MAX_WORDS = 16;

export function sortOf(sort: SearchSort): Clause[] {
  const tail = [{ postedAt: { order: 'desc' } }, { postingId: { order: 'desc' } }];
  if (sort === 'relevance') return [{ _score: { order: 'desc' } }, ...tail];
  if (sort === 'trending') return [{ trendingScore: { order: 'desc' } }, ...tail];
  return tail;
}

export const FACET_SIZE = 20;

/** Facet counts over the whole result set (not just the page). */
export const FACETS: Record<string, Clause> = {
  location: { terms: { field: 'location', size: FACET_SIZE } },
  workplaceType: { terms: { field: 'workplaceType', size: 5 } },
  employmentType: { terms: { field: 'employmentType', size: 5 } },
  company: { terms: { field: 'companyId', size: FACET_SIZE }, aggs: { name: { terms: { field: 'companyName.raw', size: 1 } } } },
  skills: { terms: { field: 'skills.raw', size: FACET_SIZE } },
};

const queryOf = (r: SearchRequest, typos: boolean): Clause => {
  const must = textClauses(r.q, typos);
  return { bool: { filter: filterClauses(r), ...(must.length ? { must } : {}) } };
};

/** Highlighted fields: the stemmed ones; with typos also the unstemmed ones, which is where a typo matched (see mergeHighlights). */
function highlightFields(typos: boolean): Record<string, Clause> {
  const fields: Record<string, Clause> = { title: { number_of_fragments: 0 }, description: { fragment_size: 160, number_of_fragments: 2 }, skills: { number_of_fragments: 0 }, companyName: { number_of_fragments: 0 } };
  if (!typos) return fields;
  return { ...fields, ...Object.fromEntries(Object.entries(fields).map(([f, o]) => [`${f}.exact`, o])) };
}

/**
 * The posting fields a search hit carries: what a results list shows. The long text (description,
 * responsibilities, qualifications, benefits, up to 20,000 characters each) stays on the posting's
 * page: a page of 20 full snapshots is 29 KB on the bench's short postings (13 KB as summaries)
 * and megabytes at the contract's limits, which every side of a search parses, copies and writes.
 * Description fragments that matched the words come as highlights.
 */
export const SUMMARY_FIELDS = ['postingId', 'companyId', 'externalId', 'revision', 'status', 'postedAt', 'closedAt', 'expiresAt', 'title', 'team', 'location', 'workplaceType', 'employmentType', 'payRange', 'requiredSkills', 'perkTags', 'minimumCommitmentMonths', 'applyUrl'] as const satisfies readonly (keyof PostingSnapshot)[];
export type PostingSummary = Pick<PostingSnapshot, (typeof SUMMARY_FIELDS)[number]>;

/** What a hit's _source is asked for: the summary of its snapshot, the company's name and the counters. */
const HIT_SOURCE = { includes: [...SUMMARY_FIELDS.map((f) => `snapshot.${f}`), 'companyName', 'stats'], excludes: UNREAD_POSTING_FIELDS };

/**
 * The _search body of one page of hits (one more than the page, to know whether another follows).
 * Its facets and the total are a request of their own (facetsBody): a page that needn't count every
 * match lets the engine skip blocks that can't reach it (block-max WAND for relevance, the
 * points-based sort optimisation for recent and trending).
 */
export function searchBody(r: SearchRequest, typos = r.cursor?.t === 1): Record<string, unknown> {
  return {
    size: r.limit + 1,
    track_total_hits: false,
    query: queryOf(r, typos),
    sort: sortOf(r.sort),
    ...(r.cursor ? { search_after: r.cursor.a } : {}),
    _source: HIT_SOURCE,
    ...(r.q && tokenize(r.q).length
      ? { highlight: { pre_tags: ['<em>'], post_tags: ['</em>'], encoder: 'html', require_field_match: false, fields: highlightFields(typos) } }
      : {}),
  };
}

/**
 * A page of hits as sent: through the engine's shard request cache, which keeps a search's answer
 * (its matches, scores and sort values; the fetch of sources and highlights still runs) until the
 * next refresh that changed the index, so a cached answer is never staler than an uncached one. It
 * keeps only searches without hits unless asked. The same popular searches (the landing page, a
 * city, a keyword) then cost the engine their scoring once per refresh: in a probe over 100,000
 * postings the engine spent 7.8 instead of 10.1 ms of CPU a search at 100 searches/s. `index`, or
 * none when the body names a point in time (whose searches are cached the same way).
 */
export function hitsSearch(body: Record<string, unknown>, index?: string): MultiSearch {
  return { ...(index ? { index } : {}), body, requestCache: true };
}

/**
 * The facet counts and the total of a search: no hits, so the engine's shard request cache keeps
 * the answer until the next refresh that changed the index. Counting every match is the dearest
 * part of a broad search (≈30 ms over 100,000 postings here), the aggregations visit every match
 * anyway (so the exact total costs nothing more here), and most searches are the same few (the
 * landing page, a city, a keyword): sort and cursor are left out, so every page of a search shares
 * one cache entry.
 */
export function facetsBody(r: SearchRequest, typos = r.cursor?.t === 1): Record<string, unknown> {
  return { size: 0, track_total_hits: true, query: queryOf(r, typos), aggs: FACETS };
}

export interface Bucket {
  key: string;
  doc_count: number;
  name?: { buckets: { key: string }[] };
}

export interface FacetCount {
  value: string;
  count: number;
  name?: string;
}

export type Facets = Record<keyof typeof FACETS, FacetCount[]>;

export function facetsOf(aggs: Record<string, { buckets: Bucket[] }> | undefined): Facets {
  const out = {} as Facets;
  for (const key of Object.keys(FACETS)) {
    out[key] = (aggs?.[key]?.buckets ?? []).map((b) => ({ value: b.key, count: b.doc_count, ...(b.name?.buckets[0] ? { name: b.name.buckets[0].key } : {}) }));
  }
  return out;
}

/** "Similar jobs": postings sharing the most distinctive words of this one's title, skills and description. */
export function similarBody(doc: { title: string; description: string; skills: string[] }, postingId: string, limit: number): Record<string, unknown> {
  return {
    size: limit,
    _source: HIT_SOURCE,
    query: {
      bool: {
        filter: filterClauses({}),
        must_not: [{ term: { postingId } }],
        must: [
          {
            more_like_this: {
              fields: ['title', 'skills', 'description'],
              like: [doc.title, doc.skills.join(', '), doc.description].filter(Boolean),
              min_term_freq: 1,
              min_doc_freq: 1,
              max_query_terms: 25,
              minimum_should_match: '20%',
            },
          },
        ],
      },
    },
  };
}

/**
 * Highlights by field as the client knows them (title, description, skills, companyName): the
 * stemmed field's fragments, else the unstemmed one's (which is what matched a typo).
 */
export function mergeHighlights(h: Record<string, string[]> | undefined): Record<string, string[]> | undefined {
  if (!h) return undefined;
  const out: Record<string, string[]> = {};
  for (const [field, fragments] of Object.entries(h)) {
    const base = field.replace(/\.exact$/, '');
    if (!out[base] || field === base) out[base] = fragments;
  }
  return out;
}
