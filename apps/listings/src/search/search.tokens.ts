export const OPENSEARCH = Symbol('jobstream:opensearch');
export const SEARCH_INDEX = Symbol('jobstream:search-index');
/** Name of the search projection in @OnEvents; its group is `<KAFKA_GROUP_ID>-search-<SEARCH_BUILD>`. */
export const SEARCH_PROJECTION = 'search';
/**
 * The same index's counters (posting-stats) in a group of their own, `<KAFKA_GROUP_ID>-search-stats-<SEARCH_BUILD>`:
 * a consumer fetches again only once every batch of its last fetch is written, so in one group a
 * new posting waited behind each burst of up to ANALYTICS_SNAPSHOT_MAX_KEYS counter rewrites.
 * Every write is a versioned upsert evaluated by the engine, so the two groups need no ordering.
 */
export const SEARCH_STATS_PROJECTION = 'search-stats';
/** The projections that write the search index; a build of the index replays in fresh groups of each. */
export const SEARCH_PROJECTIONS = [SEARCH_PROJECTION, SEARCH_STATS_PROJECTION] as const;
export type SearchProjectionName = (typeof SEARCH_PROJECTIONS)[number];
export const searchGroupSuffix = (build: string, projection: SearchProjectionName = SEARCH_PROJECTION) => `${projection}-${build}`;
