import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { APP_CONFIG, REDIS } from '@jobstream/platform';
import type { AnalyticsConfig } from '../analytics.config';
import { REDIS_KEYS } from '../analytics.tokens';
import { LUA_ADD_LOG_SCORE, type RedisKeys } from '../redis-keys';
import { decayedScore, displayScore } from '../trending/trending.util';
import { lastDays, type EngagementItem } from './engagement.util';

/**
 * Applies a whole batch in ONE script. Redis runs a script atomically, so each event's dedupe
 * marker (SET NX EX) and its counter effects commit together: a crash or redelivery can never
 * count an event twice or mark it seen without counting it. Scraps and mock applications are
 * per-viewer sets, so scrapping twice counts once and unscrapping a non-scrapped posting is a no-op.
 * Every posting in the batch (and its company, once known) is marked dirty for the snapshot flusher.
 */
export const APPLY_BATCH = `
${LUA_ADD_LOG_SCORE}
local P = ARGV[1]
local ttl = ARGV[2]
local seq = redis.call('INCR', P .. 'dirty:seq')
local applied, duplicates = 0, 0
for i = 3, #ARGV, 7 do
  local id, pid, kind, viewer, day, dayExpires, logScore = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4], ARGV[i + 5], ARGV[i + 6]
  local pk = P .. 'p:' .. pid
  local company = redis.call('HGET', P .. 'posting:' .. pid, 'companyId')
  redis.call('ZADD', P .. 'dirty:postings', seq, pid)
  if company then redis.call('ZADD', P .. 'dirty:companies', seq, company) end
  if redis.call('SET', P .. 'seen:' .. id, '1', 'NX', 'EX', ttl) then
    applied = applied + 1
    local field = false
    if kind == 'view' then
      field = 'views'
      redis.call('PFADD', pk .. ':uv', viewer)
    elseif kind == 'apply-click' then
      field = 'applyClicks'
    elseif kind == 'scrap' then
      if redis.call('SADD', pk .. ':scrappers', viewer) == 1 then field = 'scraps' end
    elseif kind == 'unscrap' then
      if redis.call('SREM', pk .. ':scrappers', viewer) == 1 then redis.call('HINCRBY', pk, 'scraps', -1) end
    elseif kind == 'mock-application' then
      if redis.call('SADD', pk .. ':mock', viewer) == 1 then field = 'mockApplicants' end
    end
    if field then
      redis.call('HINCRBY', pk, field, 1)
      if day ~= '' then
        local dk = pk .. ':d:' .. day
        redis.call('HINCRBY', dk, field, 1)
        redis.call('EXPIREAT', dk, dayExpires)
      end
      if logScore ~= '' then
        local x = tonumber(logScore)
        addLogScore(P .. 'trending:postings', pid, x)
        if company then addLogScore(P .. 'trending:companies', company, x) end
      end
    end
  else
    duplicates = duplicates + 1
  end
end
return { applied, duplicates }
`;

export interface PostingCounters {
  postingId: string;
  companyId?: string;
  totalViews: number;
  uniqueViewers: number;
  applyClicks: number;
  scraps: number;
  mockApplicants: number;
  trendingScore: number;
  daily: { date: string; views: number; applyClicks: number; scraps: number; mockApplicants: number }[];
}

const n = (v: string | null | undefined): number => (v ? Math.max(0, Number(v)) : 0);

@Injectable()
export class EngagementRepository {
  private readonly halfLifeMs: number;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(REDIS_KEYS) private readonly keys: RedisKeys,
    @Inject(APP_CONFIG) private readonly config: AnalyticsConfig,
  ) {
    this.halfLifeMs = config.ANALYTICS_TRENDING_HALF_LIFE_HOURS * 3_600_000;
  }

  async apply(items: readonly EngagementItem[]): Promise<{ applied: number; duplicates: number }> {
    if (items.length === 0) return { applied: 0, duplicates: 0 };
    const args: string[] = [this.keys.prefix, String(this.config.ANALYTICS_DEDUPE_TTL_SECONDS)];
    for (const i of items) args.push(i.eventId, i.postingId, i.kind, i.viewerId, i.day, String(i.dayExpiresAt), i.logScore);
    const [applied, duplicates] = (await this.redis.eval(APPLY_BATCH, 0, ...args)) as [number, number];
    return { applied, duplicates };
  }

  /** Counters of many postings in one round trip; null for a posting analytics never heard of. */
  async countersOf(postingIds: readonly string[], nowMs = Date.now()): Promise<(PostingCounters | null)[]> {
    const days = lastDays(nowMs);
    const pipeline = this.redis.pipeline();
    for (const id of postingIds) {
      pipeline.hgetall(this.keys.counters(id));
      pipeline.pfcount(this.keys.uniqueViewers(id));
      pipeline.zscore(this.keys.trendingPostings, id);
      pipeline.hget(this.keys.posting(id), 'companyId');
      for (const day of days) pipeline.hgetall(this.keys.day(id, day));
    }
    const results = (await pipeline.exec()) ?? [];
    const per = 4 + days.length;
    return postingIds.map((postingId, index) => {
      const at = (k: number): unknown => {
        const [err, value] = results[index * per + k];
        if (err) throw err;
        return value;
      };
      const counters = at(0) as Record<string, string>;
      const companyId = at(3) as string | null;
      if (Object.keys(counters).length === 0 && !companyId) return null;
      const logScore = at(2) as string | null;
      return {
        postingId,
        ...(companyId ? { companyId } : {}),
        totalViews: n(counters.views),
        uniqueViewers: n(String(at(1))),
        applyClicks: n(counters.applyClicks),
        scraps: n(counters.scraps),
        mockApplicants: n(counters.mockApplicants),
        trendingScore: displayScore(decayedScore(logScore === null ? null : Number(logScore), nowMs, this.halfLifeMs)),
        daily: days.map((date, d) => {
          const bucket = at(4 + d) as Record<string, string>;
          return { date, views: n(bucket.views), applyClicks: n(bucket.applyClicks), scraps: n(bucket.scraps), mockApplicants: n(bucket.mockApplicants) };
        }),
      };
    });
  }
}
