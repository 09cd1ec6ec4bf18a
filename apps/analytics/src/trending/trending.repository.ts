import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { APP_CONFIG, REDIS } from '@jobstream/platform';
import type { AnalyticsConfig } from '../analytics.config';
import { REDIS_KEYS } from '../analytics.tokens';
import type { RedisKeys } from '../redis-keys';
import { decayedScore, displayScore } from './trending.util';

export interface TrendingPosting {
  postingId: string;
  companyId: string;
  title: string;
  score: number;
}
export interface TrendingCompany {
  companyId: string;
  name: string | null;
  score: number;
}

@Injectable()
export class TrendingRepository {
  private readonly halfLifeMs: number;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(REDIS_KEYS) private readonly keys: RedisKeys,
    @Inject(APP_CONFIG) config: AnalyticsConfig,
  ) {
    this.halfLifeMs = config.ANALYTICS_TRENDING_HALF_LIFE_HOURS * 3_600_000;
  }

  private score(log: string, now: number): number {
    return displayScore(decayedScore(Number(log), now, this.halfLifeMs));
  }

  /** Published postings only (a closed one leaves the sidebar; unknown ones have no title to show). */
  async postings(limit: number, now = Date.now()): Promise<TrendingPosting[]> {
    const out: TrendingPosting[] = [];
    const page = Math.max(50, limit * 4);
    for (let start = 0; out.length < limit && start < 10 * page; start += page) {
      const flat = await this.redis.zrevrange(this.keys.trendingPostings, start, start + page - 1, 'WITHSCORES');
      if (flat.length === 0) break;
      const pipeline = this.redis.pipeline();
      for (let i = 0; i < flat.length; i += 2) pipeline.hmget(this.keys.posting(flat[i]), 'companyId', 'title', 'status');
      const refs = (await pipeline.exec()) ?? [];
      for (let i = 0; i < flat.length && out.length < limit; i += 2) {
        const [err, value] = refs[i / 2];
        if (err) throw err;
        const [companyId, title, status] = value as (string | null)[];
        if (status === 'published' && companyId && title) out.push({ postingId: flat[i], companyId, title, score: this.score(flat[i + 1], now) });
      }
    }
    return out;
  }

  async companies(limit: number, now = Date.now()): Promise<TrendingCompany[]> {
    const flat = await this.redis.zrevrange(this.keys.trendingCompanies, 0, limit - 1, 'WITHSCORES');
    const pipeline = this.redis.pipeline();
    for (let i = 0; i < flat.length; i += 2) pipeline.hget(this.keys.company(flat[i]), 'name');
    const names = (await pipeline.exec()) ?? [];
    const out: TrendingCompany[] = [];
    for (let i = 0; i < flat.length; i += 2) out.push({ companyId: flat[i], name: (names[i / 2]?.[1] as string | null) ?? null, score: this.score(flat[i + 1], now) });
    return out;
  }

  async companyScores(companyIds: readonly string[], now = Date.now()): Promise<number[]> {
    if (companyIds.length === 0) return [];
    const scores = await this.redis.zmscore(this.keys.trendingCompanies, ...companyIds);
    return scores.map((s) => (s === null ? 0 : this.score(s, now)));
  }
}
