import type Redis from 'ioredis';
import type { EventData } from '@jobstream/contracts';
import type { Person } from '../mail/email.job';

export interface HiringTeam {
  postingId: string;
  companyId: string;
  revision: number;
  postingTitle: string;
  members: Person[];
}

export interface PostingMeta {
  postingId: string;
  revision: number;
  title: string;
  status: string;
  expiresAt?: string;
}

export interface DailyStats {
  views: number;
  applyClicks: number;
}

/** Applies a hash only if its revision is newer than the stored one (replays and stale events change nothing). */
const SET_IF_NEWER = `
local current = redis.call('HGET', KEYS[1], 'revision')
if current and tonumber(current) >= tonumber(ARGV[1]) then return 0 end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'revision', ARGV[1], unpack(ARGV, 4))
redis.call('SADD', KEYS[2], ARGV[2])
if ARGV[3] == '' then redis.call('ZREM', KEYS[3], ARGV[2]) else redis.call('ZADD', KEYS[3], ARGV[3], ARGV[2]) end
return 1
`;

/** Stats snapshots are ordered by their updatedAt (ISO-8601 strings sort by time). */
const STATS_IF_NEWER = `
local current = redis.call('HGET', KEYS[1], 'updatedAt')
if current and current >= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'updatedAt', ARGV[1], 'daily', ARGV[2])
return 1
`;

/**
 * What the notifier keeps in Redis: hiring teams (restricted: recruiters' emails), posting
 * expiry, daily stats, applicants per day, and markers of sent emails. Every write is idempotent.
 */
export class NotifierStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(...parts: string[]): string {
    return [this.prefix, 'notifier', ...parts].join(':');
  }

  async applyHiringTeam(team: EventData<'hiring-team.updated'>): Promise<boolean> {
    const applied = await this.redis.eval(
      SET_IF_NEWER,
      3,
      this.key('team', team.postingId),
      this.key('teams'),
      this.key('none'),
      String(team.revision),
      team.postingId,
      '',
      'companyId',
      team.companyId,
      'postingTitle',
      team.postingTitle,
      'members',
      JSON.stringify(team.members.map((m) => ({ name: m.name, email: m.email }))),
    );
    return applied === 1;
  }

  async hiringTeam(postingId: string): Promise<HiringTeam | undefined> {
    const h = await this.redis.hgetall(this.key('team', postingId));
    if (!h.revision) return undefined;
    return { postingId, companyId: h.companyId, revision: Number(h.revision), postingTitle: h.postingTitle, members: JSON.parse(h.members ?? '[]') as Person[] };
  }

  async teamPostingIds(): Promise<string[]> {
    return this.redis.smembers(this.key('teams'));
  }

  /** Postings by expiry: a published posting with expiresAt is in the `expiring` sorted set. */
  async applyPosting(p: EventData<'posting.published'>): Promise<boolean> {
    const expiring = p.status === 'published' && p.expiresAt ? String(Date.parse(p.expiresAt)) : '';
    const applied = await this.redis.eval(
      SET_IF_NEWER,
      3,
      this.key('posting', p.postingId),
      this.key('postings'),
      this.key('expiring'),
      String(p.revision),
      p.postingId,
      expiring,
      'title',
      p.title,
      'status',
      p.status,
      'expiresAt',
      p.expiresAt ?? '',
    );
    return applied === 1;
  }

  async posting(postingId: string): Promise<PostingMeta | undefined> {
    const h = await this.redis.hgetall(this.key('posting', postingId));
    if (!h.revision) return undefined;
    return { postingId, revision: Number(h.revision), title: h.title, status: h.status, ...(h.expiresAt ? { expiresAt: h.expiresAt } : {}) };
  }

  async expiringBetween(fromMs: number, toMs: number): Promise<string[]> {
    return this.redis.zrangebyscore(this.key('expiring'), fromMs, toMs);
  }

  async applyStats(s: EventData<'posting-stats.updated'>): Promise<boolean> {
    const daily: Record<string, DailyStats> = {};
    for (const d of s.daily) daily[d.date] = { views: d.views, applyClicks: d.applyClicks };
    return (await this.redis.eval(STATS_IF_NEWER, 1, this.key('stats', s.postingId), s.updatedAt, JSON.stringify(daily))) === 1;
  }

  async dailyStats(postingId: string, date: string): Promise<DailyStats> {
    const raw = await this.redis.hget(this.key('stats', postingId), 'daily');
    const daily = raw ? (JSON.parse(raw) as Record<string, DailyStats>) : {};
    return daily[date] ?? { views: 0, applyClicks: 0 };
  }

  /** Accepted applicants per posting and UTC day, as sets of application ids (a replay adds nothing). */
  async recordApplicants(entries: readonly { postingId: string; date: string; applicationId: string }[]): Promise<void> {
    if (entries.length === 0) return;
    const pipeline = this.redis.multi();
    for (const e of entries) {
      const key = this.key('applicants', e.postingId, e.date);
      pipeline.sadd(key, e.applicationId).expire(key, 8 * 24 * 3600);
    }
    await pipeline.exec();
  }

  async applicantCount(postingId: string, date: string): Promise<number> {
    return this.redis.scard(this.key('applicants', postingId, date));
  }

  async wasSent(jobId: string): Promise<boolean> {
    return (await this.redis.exists(this.key('sent', jobId))) === 1;
  }

  async markSent(jobId: string, ttlSeconds: number): Promise<void> {
    await this.redis.set(this.key('sent', jobId), new Date().toISOString(), 'EX', ttlSeconds);
  }

  /** Permanent failures, newest first, without addresses (inspect the failed set on the dashboard for more). */
  async recordPermanentFailure(entry: { jobId: string; kind: string; error: string }): Promise<void> {
    await this.redis
      .multi()
      .lpush(this.key('permanent-failures'), JSON.stringify({ ...entry, at: new Date().toISOString() }))
      .ltrim(this.key('permanent-failures'), 0, 9999)
      .exec();
  }

  async permanentFailures(): Promise<{ jobId: string; kind: string; error: string; at: string }[]> {
    return (await this.redis.lrange(this.key('permanent-failures'), 0, -1)).map((s) => JSON.parse(s) as { jobId: string; kind: string; error: string; at: string });
  }
}
