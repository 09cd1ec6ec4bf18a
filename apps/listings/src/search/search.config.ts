import { int, str } from '@jobstream/platform/config';

/** Search runs on OpenSearch: a second projection of the events, read through an alias. */
export const SearchConfigSpec = {
  OPENSEARCH_URL: str({
    description: 'OpenSearch node(s) the search projection writes to and search reads from (comma-separated URLs)',
    default: 'http://127.0.0.1:9200',
    pattern: /^https?:\/\/[^\s,]+(,https?:\/\/[^\s,]+)*$/,
    hint: 'http(s) URLs, comma-separated',
    secret: true,
  }),
  SEARCH_INDEX: str({
    description: 'Alias searches read; each build writes its own index <alias>-<build> and the alias moves to it once it has caught up',
    default: 'postings',
    pattern: /^[a-z0-9][a-z0-9._-]{0,150}$/,
    hint: 'lower-case letters, digits, dot, dash or underscore',
  }),
  SEARCH_BUILD: str({
    description: 'Build of the search index (change it to rebuild: a new index and consumer group <group>-search-<build> replay the topics, then the alias switches)',
    default: 'v2',
    pattern: /^[a-z0-9][a-z0-9_-]{0,40}$/,
    hint: 'lower-case letters, digits, dash or underscore',
  }),
  // The wait for the next refresh is spread evenly over the interval: with 1 s its p99 alone was
  // 0.99 s, so a new posting could not be searchable within 1 s at p99. 500 ms measured no more
  // engine CPU in the lag bench (77-79 refreshes a minute instead of about 50).
  SEARCH_REFRESH_INTERVAL: str({ description: 'The index refresh interval: how soon indexed counters (and a posting whose own refresh failed) become searchable; postings ask for a refresh as they are written. Applied to the index at start-up', default: '500ms', pattern: /^\d+(ms|s)$/, hint: 'e.g. 1s or 500ms' }),
  // The bench's projection round (2,000 postings): 254 postings/s in slices of 100 (19 % of a plain
  // _bulk), 1,361/s in slices of 500 (39 %), 1,790/s in slices of 1,000 (53 %) in one run; 20–30 %
  // in three later runs with 1,000, as the engine's own CPU per upsert varied threefold. A slice with a
  // document the engine refuses costs one more bulk of the rest plus the refused document's events
  // alone (the bulk answer names them), so big slices don't make a bad document expensive.
  SEARCH_MAX_BATCH: int({
    description: 'Most events the search projection writes in one bulk request (its slices; the store of record keeps CONSUMER_MAX_BATCH): larger bulks index several times faster',
    default: 1000,
    min: 1,
    max: 5000,
  }),
  // 50 clients of distinct searches the engine scores (about 14 ms of its CPU each, 100,000 postings,
  // 2 cores): listings reached 86-88 % of OpenSearch's own throughput one search a request, 89-93 %
  // with at most 8, 94-99 % with 32; the price is tail latency under overload (see MultiSearchBatcher).
  SEARCH_REQUEST_MAX_SEARCHES: int({
    description: 'Most searches listings sends OpenSearch in one _msearch request: the searches (a page of hits and its facet counts are two) asked within one turn of its event loop go together (1: each search request goes on its own)',
    default: 32,
    min: 1,
    max: 200,
  }),
  SEARCH_TIMEOUT_MS: int({ description: 'How long a search waits for OpenSearch before answering 503', default: 5000, min: 100 }),
  // Many postings share a company, and the page learns its id only from the posting: a page whose
  // company was read within this time is one engine round trip instead of two one after the other.
  PAGE_COMPANY_CACHE_MS: int({
    description: "How long a listings replica reuses a company's panel (profile and summaries) on its postings' pages before reading it again (0: read on every view)",
    default: 1000,
    min: 0,
    max: 60000,
  }),
  SEARCH_RATE_LIMIT: int({ description: 'Searches (and similar-postings requests) a client may make per window; more get 429 with Retry-After', default: 1200, min: 1 }),
  SEARCH_RATE_WINDOW_SECONDS: int({ description: 'Length of the search rate-limit window', default: 60, min: 1, max: 86400 }),
  SEARCH_RATE_LIMIT_KEY_PREFIX: str({
    description: 'Prefix of the Redis keys the search rate limiter counts in (shared by all listings replicas)',
    default: 'ratelimit:search:',
    pattern: /^[A-Za-z0-9:._-]{1,100}$/,
    hint: 'letters, digits, colon, dot, dash or underscore',
  }),
};
