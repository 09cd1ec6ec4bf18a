import Redis from 'ioredis';
import { engines, runId } from '../../../test/support/engines';
import { SharedRateLimiter } from './rate-limit';

describe('SharedRateLimiter against the real Redis', () => {
  const redis = new Redis(engines.redisUrl, { lazyConnect: true });
  const prefix = `e2e:${runId}:shared-limit:`;
  const limiters: SharedRateLimiter[] = [];
  const limiter = (limit: number, client = redis, onSyncError?: (err: unknown) => void) => {
    const l = new SharedRateLimiter(client, { limit, windowMs: 60_000, prefix, syncMs: 20, onSyncError });
    limiters.push(l);
    return l;
  };
  const allowed = (l: SharedRateLimiter, client: string, n: number) => Array.from({ length: n }, () => l.consume(client).allowed);

  beforeAll(() => redis.connect());
  afterAll(async () => {
    await Promise.all(limiters.map((l) => l.close()));
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  it('limits one replica exactly, before any sync, and counts refused requests too', async () => {
    const one = limiter(3);
    expect(allowed(one, 'a', 5)).toEqual([true, true, true, false, false]);
    const refused = one.consume('a');
    expect(refused).toMatchObject({ allowed: false, remaining: 0 });
    expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(one.consume('b').allowed).toBe(true); // per client
    await one.sync();
    const [key] = await redis.keys(`${prefix}a:*`);
    expect(Number(await redis.get(key))).toBe(6);
    expect(await redis.pttl(key)).toBeGreaterThan(0);
  });

  it('counts what it is sending while the answer is on its way', async () => {
    const l = limiter(2);
    expect(allowed(l, 'e', 2)).toEqual([true, true]);
    const syncing = l.sync();
    expect(l.consume('e').allowed).toBe(false);
    await syncing;
    expect(l.consume('e').allowed).toBe(false);
  });

  it('shares one budget between replicas once they have synced', async () => {
    const [x, y] = [limiter(10), limiter(10)];
    expect(allowed(x, 'c', 6).every(Boolean)).toBe(true);
    expect(allowed(y, 'c', 4).every(Boolean)).toBe(true);
    await x.sync();
    await y.sync(); // y learns x's 6 with its own 4: 10 used
    expect(y.consume('c').allowed).toBe(false);
    // x learns y's counts when it next sends its own: until then it admits on what it knew (the
    // documented overshoot, at most one sync interval of x's own traffic).
    expect(x.consume('c')).toMatchObject({ allowed: true, remaining: 3 });
    await x.sync();
    expect(x.consume('c')).toMatchObject({ allowed: false, remaining: 0 });
  });

  it('limits on its own counts while Redis is unreachable, says so once, and catches up when it is back', async () => {
    const down = new Redis('redis://127.0.0.1:1', { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
    const told: unknown[] = [];
    const l = limiter(2, down, (err) => told.push(err));
    expect(allowed(l, 'd', 3)).toEqual([true, true, false]);
    await l.sync();
    await l.sync();
    expect(told).toHaveLength(1);
    expect(told[0]).toBeInstanceOf(Error);
    expect(l.consume('d').allowed).toBe(false);
    down.disconnect();
  });
});
