import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { REDIS } from '@jobstream/platform';
import { REDIS_KEYS } from '../analytics.tokens';
import { LUA_ADD_LOG_SCORE, type RedisKeys } from '../redis-keys';

/**
 * Applies posting snapshots by revision (stale and replayed revisions change nothing). The first
 * time a posting's company becomes known, the trending score the posting gathered so far is folded
 * into the company's: engagement and postings are different topics with no order between them,
 * and this way no engagement is lost from company trending (later events go to both directly).
 * Atomic in one script, so the fold happens exactly once.
 */
const APPLY_POSTINGS = `
${LUA_ADD_LOG_SCORE}
local P = ARGV[1]
local seq = redis.call('INCR', P .. 'dirty:seq')
local applied = 0
for i = 2, #ARGV, 5 do
  local pid, cid, title, status, rev = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], tonumber(ARGV[i + 4])
  local k = P .. 'posting:' .. pid
  local stored = tonumber(redis.call('HGET', k, 'revision') or '0')
  if rev > stored then
    applied = applied + 1
    local previous = redis.call('HGET', k, 'companyId')
    redis.call('HSET', k, 'companyId', cid, 'title', title, 'status', status, 'revision', rev)
    if not previous then
      local score = redis.call('ZSCORE', P .. 'trending:postings', pid)
      if score then addLogScore(P .. 'trending:companies', cid, tonumber(score)) end
    end
    redis.call('ZADD', P .. 'dirty:postings', seq, pid)
    redis.call('ZADD', P .. 'dirty:companies', seq, cid)
  end
end
return applied
`;

/** Company names for the trending sidebar; the newest event (UUIDv7 ids sort by time) wins. */
const APPLY_COMPANIES = `
local P = ARGV[1]
local applied = 0
for i = 2, #ARGV, 3 do
  local k = P .. 'company:' .. ARGV[i]
  local last = redis.call('HGET', k, 'lastEventId')
  if (not last) or last < ARGV[i + 2] then
    redis.call('HSET', k, 'name', ARGV[i + 1], 'lastEventId', ARGV[i + 2])
    applied = applied + 1
  end
end
return applied
`;

export interface PostingRef {
  postingId: string;
  companyId: string;
  title: string;
  status: string;
  revision: number;
}

@Injectable()
export class CatalogRepository {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(REDIS_KEYS) private readonly keys: RedisKeys,
  ) {}

  async applyPostings(postings: readonly PostingRef[]): Promise<number> {
    if (postings.length === 0) return 0;
    const args = [this.keys.prefix];
    for (const p of postings) args.push(p.postingId, p.companyId, p.title, p.status, String(p.revision));
    return (await this.redis.eval(APPLY_POSTINGS, 0, ...args)) as number;
  }

  async applyCompanies(companies: readonly { companyId: string; name: string; eventId: string }[]): Promise<number> {
    if (companies.length === 0) return 0;
    const args = [this.keys.prefix];
    for (const c of companies) args.push(c.companyId, c.name, c.eventId);
    return (await this.redis.eval(APPLY_COMPANIES, 0, ...args)) as number;
  }
}
