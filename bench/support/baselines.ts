import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type Redis from 'ioredis';
import { applyVersioned, type VersionedCollection, type VersionedWrite } from '../../libs/platform/src/bulk-write.util';
import type { EventEnvelope } from '@jobstream/contracts';
import { KIND_OF_TYPE, engagementItem, type EngagementItem } from '../../apps/analytics/src/engagement/engagement.util';
import { APPLY_BATCH } from '../../apps/analytics/src/engagement/engagement.repository';
import type { TrendingWeights } from '../../apps/analytics/src/trending/trending.util';
import { postingDocument } from '../../apps/listings/src/postings/postings.repository';
import type { MongoClient } from './context';
import { sleep } from './util';
import { AnalyticsConfigSpec } from '../../apps/analytics/src/analytics.config';

/**
 * Bare consumers: kafkajs `eachBatch` with its default auto-commit (offsets committed after each
 * batch), JSON.parse instead of envelope/schema validation, no dead-letter or retry layer, no Nest.
 * They apply the same effects to the same engines as the services, in slices of the same size
 * (CONSUMER_MAX_BATCH, 100) with the same partition concurrency (3), so what differs is the
 * service's framework: validation, per-slice offset commits, DI, logging.
 */
export interface BareConsumer {
  applied: number;
  retries: number;
  stop(): Promise<void>;
}

const SLICE = 100;
const PARTITIONS_CONCURRENTLY = 3;

async function runBare(kafka: Kafka, groupId: string, topic: string, apply: (slice: KafkaMessage[]) => Promise<number>, sliceSize = SLICE): Promise<BareConsumer> {
  // The services' consumer settings; maxWaitTimeInMs only bounds an idle fetch (so stop() returns sooner).
  const consumer: Consumer = kafka.consumer({ groupId, sessionTimeout: 30_000, heartbeatInterval: 3_000, maxBytesPerPartition: 1024 * 1024, maxWaitTimeInMs: 500, allowAutoTopicCreation: false });
  const state: BareConsumer = {
    applied: 0,
    retries: 0,
    stop: async () => {
      await consumer.stop();
      await consumer.disconnect();
    },
  };
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    partitionsConsumedConcurrently: PARTITIONS_CONCURRENTLY,
    eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload) => {
      for (let i = 0; i < batch.messages.length; i += sliceSize) {
        if (!isRunning() || isStale()) return;
        const slice = batch.messages.slice(i, i + sliceSize);
        // A dependency hiccup (e.g. SQLite "database is locked") is retried in place, as any consumer must.
        for (;;) {
          try {
            // (not `applied += await …`: that reads `applied` before the await and loses concurrent partitions' counts)
            const n = await apply(slice);
            state.applied += n;
            break;
          } catch {
            state.retries++;
            await sleep(50);
          }
        }
        resolveOffset(slice[slice.length - 1].offset);
        await heartbeat();
      }
    },
  });
  return state;
}

const parse = <E>(m: KafkaMessage): E | undefined => {
  try {
    return m.value ? (JSON.parse(m.value.toString('utf8')) as E) : undefined;
  } catch {
    return undefined;
  }
};

// analytics' own APPLY_BATCH script: the baseline applies exactly the same Redis effects.

const DEFAULT_WEIGHTS: TrendingWeights = { view: 1, 'apply-click': 5, scrap: 3, 'mock-application': 4 };
const HALF_LIFE_MS = 24 * 3_600_000;

type EngagementEvent = EventEnvelope<'posting.viewed' | 'posting.apply-clicked' | 'posting.scrapped' | 'posting.unscrapped' | 'posting.mock-applied'>;

/** Bare analytics: engagement events into the same Redis effects under `prefix`, in slices of the service's default size (the same script calls on both sides). */
export function bareAnalytics(kafka: Kafka, redis: Redis, groupId: string, prefix: string, dedupeTtlSeconds: number): Promise<BareConsumer> {
  return runBare(kafka, groupId, 'engagement', async (slice) => {
    const nowMs = Date.now();
    const items: EngagementItem[] = [];
    for (const m of slice) {
      const e = parse<EngagementEvent>(m);
      const kind = e ? KIND_OF_TYPE[e.type] : undefined;
      if (e && kind) items.push(engagementItem({ id: e.id, occurredAt: e.occurredAt, data: e.data, kind }, DEFAULT_WEIGHTS, HALF_LIFE_MS, nowMs));
    }
    if (items.length === 0) return 0;
    const args: string[] = [prefix, String(dedupeTtlSeconds)];
    for (const i of items) args.push(i.eventId, i.postingId, i.kind, i.viewerId, i.day, String(i.dayExpiresAt), i.logScore);
    await redis.eval(APPLY_BATCH, 0, ...args);
    return items.length;
  }, AnalyticsConfigSpec.CONSUMER_MAX_BATCH.default);
}

type PostingEvent = EventEnvelope<'posting.published' | 'posting.updated' | 'posting.closed' | 'posting.expired'>;
const POSTING_TYPES = new Set(['posting.published', 'posting.updated', 'posting.closed', 'posting.expired']);

/**
 * Bare listings projection with the raw MongoDB driver: the same documents (the fields of
 * PostingsRepository.applySnapshots), written the way the service writes them on FerretDB, with the
 * platform's applyVersioned (read the batch's revisions, insertMany the new, compare-and-set the
 * older) on the driver's own collection, after the same company-name lookup.
 */
export function bareListings(kafka: Kafka, mongo: MongoClient, groupId: string, database: string): Promise<BareConsumer> {
  const db = mongo.db(database);
  const postings = db.collection('postings');
  return runBare(kafka, groupId, 'postings', async (slice) => {
    const latest = new Map<string, PostingEvent>();
    for (const m of slice) {
      const e = parse<PostingEvent>(m);
      if (!e || !POSTING_TYPES.has(e.type)) continue;
      const seen = latest.get(e.data.postingId);
      if (!seen || e.data.revision > seen.data.revision) latest.set(e.data.postingId, e);
    }
    if (latest.size === 0) return 0;
    // The same documents the service writes (postingDocument), so both sides do the same database work.
    const writes: VersionedWrite[] = [...latest.values()].map((e) => ({ _id: e.data.postingId, version: e.data.revision, set: postingDocument(e.data, e.occurredAt) }));
    await applyVersioned(postings as unknown as VersionedCollection, 'revision', writes);
    return slice.length;
  });
}
