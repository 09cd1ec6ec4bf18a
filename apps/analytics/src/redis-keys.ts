/** Names of analytics' Redis keys, all under one configurable prefix. */
export class RedisKeys {
  constructor(readonly prefix: string) {}

  counters = (postingId: string) => `${this.prefix}p:${postingId}`;
  uniqueViewers = (postingId: string) => `${this.prefix}p:${postingId}:uv`;
  day = (postingId: string, day: string) => `${this.prefix}p:${postingId}:d:${day}`;
  posting = (postingId: string) => `${this.prefix}posting:${postingId}`;
  company = (companyId: string) => `${this.prefix}company:${companyId}`;
  get trendingPostings() {
    return `${this.prefix}trending:postings`;
  }
  get trendingCompanies() {
    return `${this.prefix}trending:companies`;
  }
  get dirtyPostings() {
    return `${this.prefix}dirty:postings`;
  }
  get dirtyCompanies() {
    return `${this.prefix}dirty:companies`;
  }
  get dirtySeq() {
    return `${this.prefix}dirty:seq`;
  }
  get flushLock() {
    return `${this.prefix}flush:lock`;
  }
}

/** Log-sum-exp in base 2 for the Lua scripts (see trending.util.ts for why scores are logs). */
export const LUA_ADD_LOG_SCORE = `
local function addLogScore(zkey, member, x)
  local cur = redis.call('ZSCORE', zkey, member)
  local v = x
  if cur then
    local a = tonumber(cur)
    local hi = math.max(a, x)
    local lo = math.min(a, x)
    v = hi + math.log(1 + 2 ^ (lo - hi)) / math.log(2)
  end
  redis.call('ZADD', zkey, string.format('%.17g', v), member)
end
`;
