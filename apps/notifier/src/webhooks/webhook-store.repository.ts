import type Redis from 'ioredis';
import type { EventType } from '@jobstream/contracts';
import type { Delivery, DeliveryAttempt, DeliveryStatus, Subscription } from './webhook.types';
import type { FailureStreak } from './webhook-policy.util';

/** Creates a delivery record only if absent; answers 1 when created or still pending (so it is to be queued). */
const CREATE_DELIVERY = `
if redis.call('EXISTS', KEYS[1]) == 1 then
  if redis.call('HGET', KEYS[1], 'status') == 'pending' then return 1 end
  return 0
end
redis.call('HSET', KEYS[1], unpack(ARGV, 4))
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('ZADD', KEYS[2], ARGV[1], ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', tonumber(ARGV[1]) - tonumber(ARGV[3]))
return redis.call('HGET', KEYS[1], 'status') == 'pending' and 1 or 0
`;

/** Disables a subscription only if it is active, so one outage sends the operator one email. */
const DISABLE_IF_ACTIVE = `
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return 0 end
local sub = cjson.decode(raw)
if sub.status ~= 'active' then return 0 end
sub.status = 'disabled'
sub.disabledAt = ARGV[2]
sub.disabledReason = ARGV[3]
sub.updatedAt = ARGV[2]
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(sub))
return 1
`;

/** Releases the lock only if this owner still holds it (it may have expired and been taken since). */
const UNLOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/**
 * Webhook state in Redis, beside the queues: subscriptions (a hash of JSON documents, read whole
 * per consumed batch: a handful of Redis bytes, never a document-store query per event),
 * failure streaks, and the delivery log (records with their body and attempts, a sorted index per
 * subscription), kept for the retention period.
 */
export class WebhookStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly retentionMs: number,
    private readonly maxPerSubscription: number,
  ) {}

  private key(...parts: string[]): string {
    return [this.prefix, 'webhooks', ...parts].join(':');
  }

  async subscriptions(): Promise<Subscription[]> {
    const all = await this.redis.hvals(this.key('subscriptions'));
    return all.map((s) => JSON.parse(s) as Subscription);
  }

  async subscriptionCount(): Promise<number> {
    return this.redis.hlen(this.key('subscriptions'));
  }

  /** The lock that orders a first subscription's creation against the idle group's skips (WebhookGroupGate). */
  async lockSet(owner: string, ms: number): Promise<boolean> {
    return (await this.redis.set(this.key('set-lock'), owner, 'PX', ms, 'NX')) === 'OK';
  }

  async unlockSet(owner: string): Promise<void> {
    await this.redis.eval(UNLOCK, 1, this.key('set-lock'), owner);
  }

  async subscription(id: string): Promise<Subscription | undefined> {
    const raw = await this.redis.hget(this.key('subscriptions'), id);
    return raw ? (JSON.parse(raw) as Subscription) : undefined;
  }

  async saveSubscription(sub: Subscription): Promise<void> {
    await this.redis.hset(this.key('subscriptions'), sub.id, JSON.stringify(sub));
  }

  async deleteSubscription(id: string): Promise<boolean> {
    const [[, removed]] = (await this.redis.multi().hdel(this.key('subscriptions'), id).del(this.key('streak', id)).exec()) as [[Error | null, number]];
    return removed === 1;
  }

  async disableIfActive(id: string, at: string, reason: string): Promise<boolean> {
    return (await this.redis.eval(DISABLE_IF_ACTIVE, 1, this.key('subscriptions'), id, at, reason)) === 1;
  }

  async recordFailure(subscriptionId: string, nowMs: number): Promise<FailureStreak> {
    const key = this.key('streak', subscriptionId);
    const res = (await this.redis.multi().hsetnx(key, 'since', String(nowMs)).hincrby(key, 'failures', 1).hget(key, 'since').exec()) ?? [];
    return { failures: Number(res[1]?.[1] ?? 0), sinceMs: Number(res[2]?.[1] ?? nowMs) };
  }

  async resetFailures(subscriptionId: string): Promise<void> {
    await this.redis.del(this.key('streak', subscriptionId));
  }

  async streak(subscriptionId: string): Promise<FailureStreak | undefined> {
    const h = await this.redis.hgetall(this.key('streak', subscriptionId));
    return h.failures ? { failures: Number(h.failures), sinceMs: Number(h.since) } : undefined;
  }

  /** Records deliveries (idempotently); answers the ids to queue: new ones and ones still pending. */
  async createDeliveries(entries: readonly { delivery: Delivery; body: string }[]): Promise<string[]> {
    const toQueue: string[] = [];
    for (const { delivery: d, body } of entries) {
      const fields = Object.entries(d).flatMap(([k, v]) => (v === undefined ? [] : [k, String(v)]));
      const created = await this.redis.eval(
        CREATE_DELIVERY,
        2,
        this.key('delivery', d.id),
        this.key('deliveries', d.subscriptionId),
        String(Date.parse(d.createdAt)),
        d.id,
        String(this.retentionMs),
        ...fields,
        'body',
        body,
      );
      if (created === 1) toQueue.push(d.id);
    }
    return toQueue;
  }

  /** Keeps the per-subscription index within its bounds (oldest entries go first). */
  async trim(subscriptionId: string): Promise<void> {
    const key = this.key('deliveries', subscriptionId);
    await this.redis.multi().zremrangebyscore(key, '-inf', Date.now() - this.retentionMs).zremrangebyrank(key, 0, -this.maxPerSubscription - 1).exec();
  }

  async delivery(id: string): Promise<Delivery | undefined> {
    const h = await this.redis.hgetall(this.key('delivery', id));
    return h.id ? parseDelivery(h) : undefined;
  }

  async body(id: string): Promise<string | undefined> {
    return (await this.redis.hget(this.key('delivery', id), 'body')) ?? undefined;
  }

  async attempts(id: string): Promise<DeliveryAttempt[]> {
    return (await this.redis.lrange(this.key('delivery', id, 'attempts'), 0, -1)).map((s) => JSON.parse(s) as DeliveryAttempt);
  }

  /** Appends an attempt and updates the record's summary in one transaction; answers the attempt number. */
  async recordAttempt(id: string, attempt: Omit<DeliveryAttempt, 'attempt'>, status: DeliveryStatus): Promise<number> {
    const key = this.key('delivery', id);
    const n = await this.redis.hincrby(key, 'attempts', 1);
    const summary: Record<string, string> = { status, lastAttemptAt: attempt.at, lastLatencyMs: String(attempt.latencyMs) };
    if (attempt.statusCode !== undefined) summary.lastStatusCode = String(attempt.statusCode);
    summary.lastError = attempt.error ?? '';
    if (status === 'delivered') summary.deliveredAt = attempt.at;
    await this.redis
      .multi()
      .hset(key, summary)
      .rpush(this.key('delivery', id, 'attempts'), JSON.stringify({ attempt: n, ...attempt }))
      .ltrim(this.key('delivery', id, 'attempts'), -100, -1)
      .pexpire(this.key('delivery', id, 'attempts'), this.retentionMs)
      .exec();
    return n;
  }

  async setStatus(id: string, status: DeliveryStatus, error?: string): Promise<void> {
    const key = this.key('delivery', id);
    // Never resurrect a record that expired: only update one that still exists.
    if ((await this.redis.exists(key)) === 0) return;
    await this.redis.hset(key, { status, ...(error !== undefined ? { lastError: error } : {}) });
  }

  /**
   * Newest first. The cursor is `<createdAt ms>.<rows of that ms already shown>`: many deliveries
   * of one consumed batch share a millisecond, so the time alone would skip or repeat some.
   */
  async page(subscriptionId: string, opts: { limit: number; cursor?: { ms: number; skip: number }; fromMs?: number; toMs?: number }): Promise<{ deliveries: Delivery[]; next?: string }> {
    const max = opts.cursor ? String(opts.cursor.ms) : opts.toMs !== undefined ? String(opts.toMs) : '+inf';
    const min = opts.fromMs !== undefined ? String(opts.fromMs) : '-inf';
    const skip = opts.cursor?.skip ?? 0;
    const rows = await this.redis.zrevrangebyscore(this.key('deliveries', subscriptionId), max, min, 'WITHSCORES', 'LIMIT', skip, opts.limit + 1);
    const ids: { id: string; score: number }[] = [];
    for (let i = 0; i < rows.length; i += 2) ids.push({ id: rows[i], score: Number(rows[i + 1]) });
    const page = ids.slice(0, opts.limit);
    const found = await Promise.all(page.map((r) => this.delivery(r.id)));
    const deliveries = found.filter((d): d is Delivery => d !== undefined);
    if (ids.length <= opts.limit) return { deliveries };
    const last = page[page.length - 1].score;
    const sameMs = page.filter((r) => r.score === last).length + (opts.cursor && opts.cursor.ms === last ? skip : 0);
    return { deliveries, next: `${last}.${sameMs}` };
  }

  /** Ids of the deliveries created in [fromMs, toMs], oldest first, at most `limit`. */
  async idsBetween(subscriptionId: string, fromMs: number, toMs: number, limit: number): Promise<string[]> {
    return this.redis.zrangebyscore(this.key('deliveries', subscriptionId), fromMs, toMs, 'LIMIT', 0, limit);
  }
}

function parseDelivery(h: Record<string, string>): Delivery {
  return {
    id: h.id,
    subscriptionId: h.subscriptionId,
    eventId: h.eventId,
    eventType: h.eventType as EventType,
    occurredAt: h.occurredAt,
    createdAt: h.createdAt,
    status: h.status as DeliveryStatus,
    attempts: Number(h.attempts ?? 0),
    ...(h.lastAttemptAt ? { lastAttemptAt: h.lastAttemptAt } : {}),
    ...(h.lastStatusCode ? { lastStatusCode: Number(h.lastStatusCode) } : {}),
    ...(h.lastError ? { lastError: h.lastError } : {}),
    ...(h.lastLatencyMs ? { lastLatencyMs: Number(h.lastLatencyMs) } : {}),
    ...(h.deliveredAt ? { deliveredAt: h.deliveredAt } : {}),
  };
}
