import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { REDIS } from '@jobstream/platform/redis.module';
import type { PostingState } from './posting-lifecycle.util';

export const REGISTRY_PREFIX = Symbol('jobstream:registry-prefix');

/** A write that was reserved but not yet confirmed as published: re-published by the next writer. */
export interface PendingWrite {
  revision: number;
  /** The serialized events to (re)publish, with their fixed ids so a re-publish is a duplicate, not a new event. */
  events: string[];
  state: PostingState;
  at: string;
}

/** The command side's record of a posting: its committed state and at most one pending write. */
export interface PostingRecord {
  _id: string;
  companyId: string;
  /** 0 until the creating write is confirmed. */
  revision: number;
  state?: PostingState;
  pending?: PendingWrite;
}

// Each script reads and writes one posting's hash atomically; JSON stays opaque to Lua.
const INSERT = `
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
redis.call('HSET', KEYS[2], 'companyId', ARGV[3], 'revision', '0', 'pendingRevision', ARGV[4], 'pending', ARGV[5])
return 1`;
const RESERVE = `
if redis.call('HGET', KEYS[1], 'revision') ~= ARGV[1] then return 0 end
if redis.call('HEXISTS', KEYS[1], 'pendingRevision') == 1 then return 0 end
redis.call('HSET', KEYS[1], 'pendingRevision', ARGV[2], 'pending', ARGV[3])
return 1`;
const COMMIT = `
if redis.call('HGET', KEYS[1], 'pendingRevision') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'revision', ARGV[1], 'state', ARGV[2])
redis.call('HDEL', KEYS[1], 'pendingRevision', 'pending')
if ARGV[3] ~= '' then redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4]) else redis.call('ZREM', KEYS[2], ARGV[4]) end
return 1`;

/**
 * The posting registry lives in Redis (AOF on): every step is one atomic script on one posting's
 * hash, which FerretDB's SQLite backend could not give us under concurrent writers (see README).
 */
@Injectable()
export class PostingRegistryRepository {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(REGISTRY_PREFIX) private readonly prefix: string,
  ) {}

  private postingKey = (id: string) => `${this.prefix}posting:${id}`;
  private externalKey = (companyId: string) => `${this.prefix}external:${companyId}`;
  private get expiryKey() {
    return `${this.prefix}expiry`;
  }

  async findById(postingId: string): Promise<PostingRecord | null> {
    const h = await this.redis.hgetall(this.postingKey(postingId));
    if (!h.companyId) return null;
    return {
      _id: postingId,
      companyId: h.companyId,
      revision: Number(h.revision),
      ...(h.state ? { state: JSON.parse(h.state) as PostingState } : {}),
      ...(h.pending ? { pending: JSON.parse(h.pending) as PendingWrite } : {}),
    };
  }

  async findByExternalId(companyId: string, externalId: string): Promise<PostingRecord | null> {
    const id = await this.redis.hget(this.externalKey(companyId), externalId);
    return id ? this.findById(id) : null;
  }

  /** Claims (companyId, externalId) for a new posting; false if another posting holds it. */
  async insertPending(state: PostingState, pending: PendingWrite): Promise<boolean> {
    const claimed = await this.redis.eval(INSERT, 2, this.externalKey(state.companyId), this.postingKey(state.postingId), state.externalId, state.postingId, state.companyId, String(pending.revision), JSON.stringify(pending));
    return claimed === 1;
  }

  /** Reserves the next revision, only if nobody else wrote or reserved since we read. */
  async reserve(postingId: string, expectedRevision: number, pending: PendingWrite): Promise<boolean> {
    const reserved = await this.redis.eval(RESERVE, 1, this.postingKey(postingId), String(expectedRevision), String(pending.revision), JSON.stringify(pending));
    return reserved === 1;
  }

  /** Makes published pending writes the committed state, in one pipeline. */
  async commit(writes: readonly { postingId: string; pending: PendingWrite }[]): Promise<void> {
    if (writes.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const { postingId, pending } of writes) {
      const { state } = pending;
      const expires = state.content.expiresAt && (state.status === 'published' || state.status === 'draft') ? String(Date.parse(state.content.expiresAt)) : '';
      pipeline.eval(COMMIT, 2, this.postingKey(postingId), this.expiryKey, String(pending.revision), JSON.stringify(state), expires, postingId);
    }
    const results = await pipeline.exec();
    const failed = results?.find(([err]) => err);
    if (failed?.[0]) throw failed[0];
  }

  /** Open postings whose expiresAt has passed, soonest first. */
  dueForExpiry(now: Date, limit: number): Promise<string[]> {
    return this.redis.zrangebyscore(this.expiryKey, '-inf', now.getTime(), 'LIMIT', 0, limit);
  }
}
