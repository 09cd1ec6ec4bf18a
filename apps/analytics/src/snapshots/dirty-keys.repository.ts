import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { REDIS } from '@jobstream/platform';
import { REDIS_KEYS } from '../analytics.tokens';
import type { RedisKeys } from '../redis-keys';

/**
 * Keys whose snapshot must be (re)published, kept in Redis so a crash loses no mark. Each mark
 * carries a sequence number; the flusher clears a key only if it was not marked again meanwhile.
 */
const MARK = `
local seq = redis.call('INCR', KEYS[2])
for i = 1, #ARGV do redis.call('ZADD', KEYS[1], seq, ARGV[i]) end
return seq
`;
const CLEAR_IF_UNCHANGED = `
local cleared = 0
for i = 1, #ARGV, 2 do
  local current = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if current and tonumber(current) == tonumber(ARGV[i + 1]) then
    redis.call('ZREM', KEYS[1], ARGV[i])
    cleared = cleared + 1
  end
end
return cleared
`;

export type DirtyKind = 'postings' | 'companies';
export interface DirtyMark {
  key: string;
  seq: string;
}

@Injectable()
export class DirtyKeysRepository {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(REDIS_KEYS) private readonly keys: RedisKeys,
  ) {}

  private setOf(kind: DirtyKind): string {
    return kind === 'postings' ? this.keys.dirtyPostings : this.keys.dirtyCompanies;
  }

  async mark(kind: DirtyKind, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.redis.eval(MARK, 2, this.setOf(kind), this.keys.dirtySeq, ...new Set(ids));
  }

  /** The oldest marks first, so a backlog drains fairly. */
  async peek(kind: DirtyKind, max: number): Promise<DirtyMark[]> {
    const flat = await this.redis.zrange(this.setOf(kind), '0', String(max - 1), 'WITHSCORES');
    const marks: DirtyMark[] = [];
    for (let i = 0; i < flat.length; i += 2) marks.push({ key: flat[i], seq: flat[i + 1] });
    return marks;
  }

  async clear(kind: DirtyKind, marks: readonly DirtyMark[]): Promise<void> {
    if (marks.length === 0) return;
    await this.redis.eval(CLEAR_IF_UNCHANGED, 1, this.setOf(kind), ...marks.flatMap((m) => [m.key, m.seq]));
  }

  /** One flusher per interval across replicas: the lock simply expires, it is never released early. */
  async tryFlushLock(owner: string, intervalMs: number): Promise<boolean> {
    return (await this.redis.set(this.keys.flushLock, owner, 'PX', String(Math.max(50, intervalMs - 50)), 'NX')) === 'OK';
  }
}
