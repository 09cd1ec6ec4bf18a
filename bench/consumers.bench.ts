import Redis from 'ioredis';
import mongoose from 'mongoose';
import { Topics } from '@jobstream/contracts';
import { PostingSchema } from '../apps/listings/src/postings/posting.schema';
import { OpenSearchGateway } from '../apps/listings/src/search/opensearch.gateway';
import { SearchIndex } from '../apps/listings/src/search/search-index';
import { postingFields } from '../apps/listings/src/search/search.document';
import { bareAnalytics, bareListings, type BareConsumer } from './support/baselines';
import { cpuMeter } from './support/cpu';
import { commonEnv, database, groupId, redisPrefix, searchAlias, type BenchContext, type MongoClient } from './support/context';
import { engagementEvents, postingPublished } from './support/events';
import { positionGroup, produceBacklog, type Offsets } from './support/kafka';
import { committedProgress, rateFromProgress, throughputRow } from './support/measure';
import type { ServiceProcess } from './support/services';
import { fmtInt, log, now, sleep } from './support/util';

/** How long analytics remembers event ids in the bench (its keys are deleted after the run anyway). */
export const BENCH_DEDUPE_TTL = '3600';

export interface AnalyticsSetup {
  group: string;
  prefix: string;
  database: string;
}

export function analyticsSetup(ctx: BenchContext): AnalyticsSetup {
  return { group: groupId(ctx, 'analytics'), prefix: `${redisPrefix(ctx, 'analytics')}:`, database: database(ctx, 'analytics') };
}

export function startAnalytics(ctx: BenchContext, s: AnalyticsSetup): Promise<ServiceProcess> {
  return ctx.fleet.start('analytics', {
    ...commonEnv(ctx),
    KAFKA_GROUP_ID: s.group,
    ANALYTICS_REDIS_PREFIX: s.prefix,
    ANALYTICS_DEDUPE_TTL_SECONDS: BENCH_DEDUPE_TTL,
    MONGO_URL: `${ctx.engines.mongoBase}/${s.database}`,
  });
}

export interface ListingsSetup {
  group: string;
  database: string;
}

export function startListings(ctx: BenchContext, s: ListingsSetup, label = 'listings'): Promise<ServiceProcess> {
  return ctx.fleet.start('listings', { ...commonEnv(ctx), KAFKA_GROUP_ID: s.group, MONGO_URL: `${ctx.engines.mongoBase}/${s.database}` }, label);
}

/** Σ views + apply clicks of these postings under an analytics prefix: every applied event adds one. */
export async function countedEvents(redis: Redis, prefix: string, postings: readonly string[]): Promise<number> {
  const pipeline = redis.pipeline();
  for (const p of postings) pipeline.hmget(`${prefix}p:${p}`, 'views', 'applyClicks');
  const results = (await pipeline.exec()) ?? [];
  let n = 0;
  for (const [err, value] of results) {
    if (err) throw err;
    for (const v of value as (string | null)[]) n += Number(v ?? 0);
  }
  return n;
}

/** The listings indexes (from the service's own schema), so the bare projection writes against the same. */
export async function createPostingIndexes(mongo: MongoClient, db: string): Promise<void> {
  const postings = mongo.db(db).collection('postings');
  for (const [fields, options] of PostingSchema.indexes()) await postings.createIndex(fields as Record<string, 1 | -1>, options as Record<string, unknown>);
}

async function measureBare(consumer: Promise<BareConsumer>, expected: number, verify: () => Promise<number>): Promise<number> {
  const c = await consumer;
  try {
    const { rate } = await rateFromProgress(() => Promise.resolve(c.applied), expected, 600_000);
    const effects = await verify();
    if (effects !== expected) throw new Error(`bare consumer applied ${effects} effects, expected ${expected}`);
    if (c.retries > 0) log(`consumers: the bare consumer retried ${c.retries} slices`);
    return rate;
  } finally {
    await c.stop();
  }
}

const at = (topic: string, offsets: Offsets) => new Map([[topic, offsets]]);

/**
 * Consumer throughput over a backlog produced up front, service and bare baseline consuming the same
 * messages (each its own group, positioned at the backlog's start), one after the other, round by round.
 * Service progress = its committed offsets (committed only once effects are durable); baseline
 * progress = its applied count. Both are checked against the effects in Redis / MongoDB afterwards.
 */
export async function consumersPhase(ctx: BenchContext): Promise<void> {
  const plan = ctx.options.plan;
  ctx.fleet.phase = 'consumers';

  // ---- analytics: engagement events -> Redis counters
  const a = analyticsSetup(ctx);
  const basePrefix = `${redisPrefix(ctx, 'analytics-base')}:`;
  const baseRedis = new Redis(ctx.engines.redisUrl, { maxRetriesPerRequest: 20 });
  const svc: number[] = [];
  const base: number[] = [];
  try {
    for (let round = 0; round < plan.rounds; round++) {
      const postings = Array.from({ length: plan.analytics.postings }, (_, i) => `bench-${ctx.runId}-a${round}-${i}`);
      const events = engagementEvents(postings, plan.analytics.events, 1000 + round);
      const backlog = await produceBacklog(ctx.admin, ctx.producer, Topics.engagement, events);
      if (!ctx.services.analytics) {
        await positionGroup(ctx.kafka, ctx.admin, a.group, at(Topics.engagement, backlog.before));
        ctx.services.analytics = await startAnalytics(ctx, a);
      }
      log(`consumers: analytics round ${round + 1}: ${fmtInt(events.length)} engagement events over ${postings.length} postings`);
      const cpu = cpuMeter(ctx.fleet, ctx.engines.kafkaPrivate);
      const s = await rateFromProgress(committedProgress(ctx.admin, a.group, Topics.engagement, backlog.before), events.length, 600_000);
      if (round === 0) ctx.notes.push(cpu.note(`analytics consuming its backlog (round 1, ${s.seconds.toFixed(1)} s measured)`));
      const counted = await countedEvents(ctx.redis, a.prefix, postings);
      if (counted !== events.length) throw new Error(`analytics counted ${counted} of ${events.length} events`);
      svc.push(s.rate);
      await sleep(1500); // let its snapshot flusher settle before the baseline runs
      const g = groupId(ctx, `analytics-base-${round}`);
      await positionGroup(ctx.kafka, ctx.admin, g, at(Topics.engagement, backlog.before));
      const cpuBase = cpuMeter(ctx.fleet, ctx.engines.kafkaPrivate);
      base.push(await measureBare(bareAnalytics(ctx.kafka, baseRedis, g, basePrefix, Number(BENCH_DEDUPE_TTL)), events.length, () => countedEvents(ctx.redis, basePrefix, postings)));
      if (round === 0) ctx.notes.push(cpuBase.note('bare analytics consumer on the same backlog (round 1)'));
      log(`consumers: analytics ${fmtInt(svc[round])} vs bare ${fmtInt(base[round])} events/s`);
    }
  } finally {
    baseRedis.disconnect();
  }
  ctx.rows.push(
    throughputRow('consumers', `analytics: engagement events applied (Redis), backlog of ${fmtInt(plan.analytics.events)}`, 'events/s', svc, base, 0.5,
      'bare: kafkajs eachBatch + JSON.parse + the same Lua script per 100-event slice, default auto-commit'),
  );
  // analytics would consume the postings backlog below concurrently with listings; the lag phase restarts it.
  await ctx.fleet.stop(ctx.services.analytics!);
  ctx.services.analytics = undefined;

  // ---- listings: posting snapshots -> MongoDB (FerretDB) read model
  const l: ListingsSetup = { group: groupId(ctx, 'listings'), database: database(ctx, 'listings') };
  const baseDb = database(ctx, 'listings_base');
  await createPostingIndexes(ctx.mongo, baseDb);
  const baseMongo: MongoClient = new mongoose.mongo.MongoClient(ctx.engines.mongoBase, { retryWrites: false });
  await baseMongo.connect();
  const lsvc: number[] = [];
  const lbase: number[] = [];
  // The search projection (its own group) indexes the same backlog into OpenSearch meanwhile; its
  // baseline is _bulk of the same documents, in slices of the consumer's default batch (100).
  const searchGroup = `${l.group}-search-v2`;
  const ssvc: number[] = [];
  const sbase: number[] = [];
  const os = OpenSearchGateway.create(ctx.engines.opensearchUrl, 120_000);
  const bulkIndex = new SearchIndex(os, `${searchAlias(ctx)}-bulkbase`, 'v2', '1s');
  await bulkIndex.ensure();
  const count = (db: string) => ctx.mongo.db(db).collection('postings').countDocuments({});
  try {
    for (let round = 0; round < plan.rounds; round++) {
      const postedAt = new Date();
      const events = Array.from({ length: plan.listings.postings }, (_, i) => postingPublished(ctx.runId, round * plan.listings.postings + i, new Date(postedAt.getTime() - i * 1000)));
      const backlog = await produceBacklog(ctx.admin, ctx.producer, Topics.postings, events);
      if (!ctx.services.listings) {
        await positionGroup(ctx.kafka, ctx.admin, l.group, at(Topics.postings, backlog.before));
        await positionGroup(ctx.kafka, ctx.admin, searchGroup, at(Topics.postings, backlog.before));
        ctx.services.listings = await startListings(ctx, l);
      }
      log(`consumers: listings round ${round + 1}: ${fmtInt(events.length)} posting snapshots into a collection of ${fmtInt(round * events.length)}`);
      const cpu = cpuMeter(ctx.fleet, ctx.engines.kafkaPrivate);
      const [s, indexed] = await Promise.all([
        rateFromProgress(committedProgress(ctx.admin, l.group, Topics.postings, backlog.before), events.length, 600_000),
        rateFromProgress(committedProgress(ctx.admin, searchGroup, Topics.postings, backlog.before), events.length, 600_000),
      ]);
      ssvc.push(indexed.rate);
      if (round === 0) ctx.notes.push(cpu.note(`listings projecting its backlog (round 1, ${s.seconds.toFixed(1)} s measured)`));
      const have = await count(l.database);
      if (have !== (round + 1) * events.length) throw new Error(`listings holds ${have} postings, expected ${(round + 1) * events.length}`);
      lsvc.push(s.rate);
      const g = groupId(ctx, `listings-base-${round}`);
      await positionGroup(ctx.kafka, ctx.admin, g, at(Topics.postings, backlog.before));
      // The two baselines run together, as the two projections did in listings: _bulk then shares
      // the machine with the bare FerretDB writer as the search projection shared it with the store's.
      const bareConsumer = bareListings(ctx.kafka, baseMongo, g, baseDb);
      const bulkBaseline = async () => {
        const c = await bareConsumer;
        const deadline = now() + 120_000;
        while (c.applied === 0) {
          if (now() > deadline) throw new Error('consumers: the bare FerretDB baseline wrote nothing in 120 s');
          await new Promise((r) => setTimeout(r, 10)); // _bulk starts once the bare writer is writing
        }
        const started = now();
        for (let i = 0; i < events.length; i += 100) {
          const lines = events.slice(i, i + 100).flatMap((e) => [{ index: { _index: bulkIndex.name, _id: e.data.postingId } }, postingFields(e.data, e.occurredAt)]);
          const answer = await os.bulk<{ errors: boolean }>('/_bulk', lines);
          if (answer.errors) throw new Error('consumers: OpenSearch refused a _bulk baseline document');
        }
        return events.length / ((now() - started) / 1000);
      };
      const [bare, bulk] = await Promise.all([measureBare(bareConsumer, events.length, async () => (await count(baseDb)) - round * events.length), bulkBaseline()]);
      lbase.push(bare);
      sbase.push(bulk);
      ctx.projectedPostings.push(...events.map((e) => e.data.postingId));
      log(`consumers: listings ${fmtInt(lsvc[round])} vs bare ${fmtInt(lbase[round])} postings/s; search projection ${fmtInt(ssvc[round])} vs _bulk ${fmtInt(sbase[round])} postings/s`);
    }
  } finally {
    await baseMongo.close();
    await os.close();
  }
  ctx.rows.push(
    throughputRow('consumers', `listings search projection: postings indexed (OpenSearch), ${fmtInt(plan.listings.postings)} per round`, 'events/s', ssvc, sbase, 0.5,
      'measured while the store-of-record projection (the row below) consumed the same backlog in the same process; baseline: _bulk of the same documents directly, 100 per request, one after another, afterwards, started once the bare FerretDB baseline (the row below) was writing the backlog: the same background on both sides'),
  );
  const sizes = Array.from({ length: plan.rounds }, (_, r) => `${fmtInt(r * plan.listings.postings)}→${fmtInt((r + 1) * plan.listings.postings)}`).join(', ');
  const row = throughputRow('consumers', `listings: postings projected (FerretDB), ${fmtInt(plan.listings.postings)} per round`, 'events/s', lsvc, lbase, 0.5,
    `collection grew ${sizes} documents over the rounds; bare: kafkajs + raw driver collection, the same documents written with the same versioned-write pattern (applyVersioned), same indexes`);
  if (plan.rounds > 1) {
    // The rate falls as the collection grows: show each round, not only their median.
    row.display = { jobstream: lsvc.map((r) => fmtInt(r)).join(' → ') + ' events/s', baseline: lbase.map((r) => fmtInt(r)).join(' → ') + ' events/s' };
    row.measure += ` (rounds: ${sizes} documents; ratio and target on the medians)`;
  }
  ctx.rows.push(row);
}
