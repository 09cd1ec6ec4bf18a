export const OPENSEARCH = Symbol('jobstream:opensearch');
export const SEARCH_INDEX = Symbol('jobstream:search-index');
/** Name of the search projection in @OnEvents; its group is `<KAFKA_GROUP_ID>-search-<SEARCH_BUILD>`. */
export const SEARCH_PROJECTION = 'search';
export const searchGroupSuffix = (build: string) => `search-${build}`;
/**
 * The same index's counters (posting-stats) in a group of their own, `<KAFKA_GROUP_ID>-search-stats-<SEARCH_BUILD>`:
 * a consumer fetches again only once every batch of its last fetch is written, so in one group a
 * new posting waited behind each burst of up to ANALYTICS_SNAPSHOT_MAX_KEYS counter rewrites.
 * Every write is a versioned upsert evaluated by the engine, so the two groups need no ordering.
 */
export const SEARCH_STATS_PROJECTION = 'search-stats';
export const searchStatsGroupSuffix = (build: string) => `search-stats-${build}`;
