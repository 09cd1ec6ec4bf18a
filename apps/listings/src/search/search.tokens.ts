export const OPENSEARCH = Symbol('jobstream:opensearch');
export const SEARCH_INDEX = Symbol('jobstream:search-index');
/** Name of the search projection in @OnEvents; its group is `<KAFKA_GROUP_ID>-search-<SEARCH_BUILD>`. */
export const SEARCH_PROJECTION = 'search';
export const searchGroupSuffix = (build: string) => `search-${build}`;
