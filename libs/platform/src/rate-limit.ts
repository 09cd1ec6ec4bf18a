import type Redis from 'ioredis';

export interface RateDecision {
  allowed: boolean;
  /** Requests (or cost units) left in the current window. */
  remaining: number;
  /** Seconds until the window resets; what a 429 sends as Retry-After. */
  retryAfterSeconds: number;
}

/**
 * Fixed-window limit counted in Redis, so every replica behind the load balancer shares one
 * budget per client. INCRBY and the window's expiry run in one script: a crash between them can't
 * leave a counter that never expires (which would block the client for good).
 */
const CONSUME = `
local used = redis.call('INCRBY', KEYS[1], ARGV[1])
if used == tonumber(ARGV[1]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]); ttl = tonumber(ARGV[2]) end
return { used, ttl }
`;

export class RedisRateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly options: { limit: number; windowMs: number; prefix: string },
  ) {}

  /** Takes `cost` units from the client's budget; a refused request still counts (no free retries). */
  async consume(client: string, cost = 1): Promise<RateDecision> {
    const window = Math.floor(Date.now() / this.options.windowMs);
    const key = `${this.options.prefix}${client}:${window}`;
    const [used, ttl] = (await this.redis.eval(CONSUME, 1, key, String(cost), String(this.options.windowMs))) as [number, number];
    return {
      allowed: used <= this.options.limit,
      remaining: Math.max(0, this.options.limit - used),
      retryAfterSeconds: Math.max(1, Math.ceil(ttl / 1000)),
    };
  }
}
