import type { OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { ServiceUnavailableException } from '@jobstream/platform/http-errors';
import type Redis from 'ioredis';
import type { Logger } from 'pino';
import type { RejectionReason } from './application-decision.util';
import type { ApplicationRecord, ApplicationsRepository } from './applications.repository';

/** A decided application as the status route answers it, under one of its ids (its own or a later duplicate's). */
export interface ApplicationStatusEntry {
  applicationId: string;
  postingId: string;
  status: 'accepted' | 'rejected';
  reason?: RejectionReason;
  detail?: string;
  decidedAt: string;
  /** SHA-256 of the receipt token ingest handed out for this id. */
  receiptTokenHash: string;
}

/** The entry of `applicationId`, which is the record's own id or one of its aliases; undefined if neither. */
export function statusEntryOf(record: ApplicationRecord, applicationId: string, aliasTokenHash?: string): ApplicationStatusEntry | undefined {
  const hash = record._id === applicationId ? record.receiptTokenHash : (record.aliases.find((a) => a.applicationId === applicationId)?.receiptTokenHash ?? aliasTokenHash);
  if (!hash) return undefined;
  return {
    applicationId,
    postingId: record.postingId,
    status: record.status,
    ...(record.reason ? { reason: record.reason } : {}),
    ...(record.detail ? { detail: record.detail } : {}),
    decidedAt: record.decidedAt,
    receiptTokenHash: hash,
  };
}

/** Every entry a stored record answers: its own id and each alias. */
export const statusEntriesOf = (record: ApplicationRecord): ApplicationStatusEntry[] =>
  [record._id, ...record.aliases.map((a) => a.applicationId)].map((id) => statusEntryOf(record, id)).filter((e): e is ApplicationStatusEntry => e !== undefined);

/**
 * Where `GET /v1/applications/:id` reads a decision. Which one runs follows the document engine
 * (DOCUMENT_WRITES' engine, like every FerretDB workaround), so a MongoDB deployment pays for none of
 * FerretDB's: on MongoDB the store of record answers by index; on FerretDB, which scans the whole
 * collection for any query, a Redis view the decisions write through answers instead.
 */
export abstract class ApplicationStatuses {
  abstract find(applicationId: string): Promise<ApplicationStatusEntry | undefined>;
  /** Called with every decision the consumer stored or found, before its outcome is published. */
  abstract decided(entries: readonly ApplicationStatusEntry[]): Promise<void>;
}

/** MongoDB: the store of record, by `_id` or the alias index. */
export class StoredApplicationStatuses extends ApplicationStatuses {
  constructor(private readonly repository: ApplicationsRepository) {
    super();
  }

  async find(applicationId: string): Promise<ApplicationStatusEntry | undefined> {
    const record = await this.repository.findByApplicationId(applicationId);
    return record ? statusEntryOf(record, applicationId) : undefined;
  }

  decided(): Promise<void> {
    return Promise.resolve();
  }
}

/** How long one replica holds the right to rebuild the view; renewed with every chunk it writes. */
const REBUILD_LEASE_MS = 60_000;
const REBUILD_CHUNK = 500;
/** Retry-After of a read that missed while the view is rebuilt. */
const REBUILD_RETRY_AFTER_S = 2;
/** Extends or releases the lease only while this replica still holds it. */
const RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0";
const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0";

/**
 * FerretDB: a Redis view of every decision, one key per application id, written by the decisions
 * before their outcome is published, so a status read never scans the collection. The view is
 * complete once its `complete` key exists: then an id it lacks is undecided or unknown (404), and the
 * store is never asked. Until then (a deployment that decided applications before the view existed,
 * or a Redis that lost its data: each read sees it) a read the view can't answer is a 503 with
 * Retry-After, and one replica at a time rebuilds the view from the store, then marks it complete. Decisions never change once
 * stored (only aliases are added, under their own keys), so a rebuild racing the decisions writes
 * the same values they do. The keys are scoped to the store's database, so deployments sharing one
 * Redis keep apart.
 */
export class RedisApplicationStatuses extends ApplicationStatuses implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly prefix: string;
  private rebuilding?: Promise<void>;
  private stopping = false;
  private readonly owner = `${process.pid}-${Math.random().toString(36).slice(2)}`;

  constructor(
    private readonly repository: ApplicationsRepository,
    private readonly redis: Redis,
    database: string,
    private readonly logger: Logger,
  ) {
    super();
    this.prefix = `listings:${database}:application-status:`;
  }

  private key(applicationId: string): string {
    return `${this.prefix}id:${applicationId}`;
  }

  private get completeKey(): string {
    return `${this.prefix}complete`;
  }

  async find(applicationId: string): Promise<ApplicationStatusEntry | undefined> {
    // One round trip; whether the view is complete is read with the entry, so a view Redis lost
    // is noticed by the next read, not by the next periodic check.
    const [[getErr, raw], [existsErr, complete]] = ((await this.redis.pipeline().get(this.key(applicationId)).exists(this.completeKey).exec()) ?? []) as [Error | null, unknown][];
    const failed = getErr ?? existsErr;
    if (failed) throw failed;
    if (typeof raw === 'string') return JSON.parse(raw) as ApplicationStatusEntry;
    if (complete === 1) return undefined;
    // Not complete (a first start on this Redis, or Redis lost the view): it is rebuilt from the
    // store, and until then a miss is a 503 the candidate's page retries, not a store scan per read
    // (on FerretDB two full scans, which would also slow the rebuild they wait for).
    void this.check();
    throw new ServiceUnavailableException('Application statuses are being rebuilt from the store; retry shortly', REBUILD_RETRY_AFTER_S);
  }

  async decided(entries: readonly ApplicationStatusEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.write(entries);
  }

  private async write(entries: readonly ApplicationStatusEntry[]): Promise<void> {
    const pipeline = this.redis.pipeline();
    for (const e of entries) pipeline.set(this.key(e.applicationId), JSON.stringify(e));
    const results = (await pipeline.exec()) ?? [];
    const failed = results.find(([err]) => err)?.[0];
    if (failed) throw failed;
  }

  onApplicationBootstrap(): void {
    void this.check();
  }

  /** Waits for a rebuild in progress to stop at its next chunk, before Redis closes. */
  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    await this.rebuilding;
  }

  /** Whether the view is complete; if not, rebuilds it unless another replica holds the lease. */
  private check(): Promise<void> {
    this.rebuilding ??= this.checkOnce()
      .catch((err: unknown) => this.logger.warn({ err, component: 'application-statuses' }, 'application status view: check or rebuild failed; reads fall back to the store'))
      .finally(() => (this.rebuilding = undefined));
    return this.rebuilding;
  }

  private async checkOnce(): Promise<void> {
    if (this.stopping) return;
    if ((await this.redis.exists(this.completeKey)) === 1) return;
    const lease = `${this.prefix}rebuild`;
    if ((await this.redis.set(lease, this.owner, 'PX', REBUILD_LEASE_MS, 'NX')) !== 'OK') return;
    const started = Date.now();
    let written = 0;
    try {
      for await (const chunk of this.repository.allDecided(REBUILD_CHUNK)) {
        if (this.stopping) return;
        const entries = chunk.flatMap(statusEntriesOf);
        await this.write(entries);
        written += entries.length;
        if ((await this.redis.eval(RENEW, 1, lease, this.owner, String(REBUILD_LEASE_MS))) !== 1) {
          throw new Error('application status view: lost the rebuild lease to another replica');
        }
      }
      await this.redis.set(this.completeKey, new Date().toISOString());
      this.logger.info({ component: 'application-statuses', entries: written, ms: Date.now() - started }, 'application status view rebuilt from the store');
    } finally {
      // Release only our own lease.
      await this.redis.eval(RELEASE, 1, lease, this.owner);
    }
  }
}
