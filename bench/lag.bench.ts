import Redis from 'ioredis';
import mongoose from 'mongoose';
import { Topics, createEvent } from '@jobstream/contracts';
import { analyticsSetup, BENCH_DEDUPE_TTL, createPostingIndexes, startAnalytics, startListings } from './consumers.bench';
import { ensureIngest } from './ingest.bench';
import { ensureNotifier } from './notifier.bench';
import { bareAnalytics, bareListings } from './support/baselines';
import { cpuMeter, enginePids, waitUntilQuiet } from './support/cpu';
import { asOperator, database, groupId, redisPrefix, type BenchContext, type MongoClient } from './support/context';
import { postingContent, postingPublished } from './support/events';
import { request } from './support/http';
import { openSearchWork, routeAndConsumer, routeLatency } from './support/metrics';
import { durableProducer, groupLag, positionGroup, toMessage } from './support/kafka';
import type { ResultRow } from './support/report';
import { fmtInt, fmtMs, log, max, now, percentile, sleep } from './support/util';
import { SnapshotConfigSpec } from '../apps/analytics/src/snapshots/snapshot.config';

type Item = { type: 'view'; postingId: string; viewerId: string };

/** How a lag run offers load and reads effects: through the services, or bare. */
interface LagDriver {
  /** Resolves when the events are acknowledged. */
  sendBeacon(items: Item[]): Promise<void>;
  /** Creates a posting; resolves with its id when acknowledged. */
  createPosting(i: number): Promise<string>;
  /** Views counted for a posting, as readable. */
  viewsOf(postingId: string): Promise<number>;
  /** Whether the posting is readable. */
  postingVisible(postingId: string): Promise<boolean>;
}

interface LagResult {
  analytics: number[];
  listings: number[];
  unresolved: { analytics: number; listings: number };
  offered: number;
  acked: number;
  ackLatencies: number[];
  errors: number;
  firstError?: string;
  seconds: number;
}

/**
 * An open loop: beacons of `beaconSize` events every `1000·beaconSize/rate` ms whatever the answers,
 * a probe view of a dedicated posting in some beacons, and new postings at a fixed rate. A probe's
 * lag is from its acknowledgement to the first poll that reads its effect. The first
 * `warmupSeconds` offer the same load with no probe and count nothing; `onMeasuring` is called
 * when they end, to start the meters.
 */
async function runLag(ctx: BenchContext, driver: LagDriver, engaged: readonly string[], tag: string, onMeasuring?: () => void): Promise<LagResult> {
  const plan = ctx.options.plan.lag;
  const interval = (1000 * plan.beaconSize) / plan.rate;
  const probeEvery = Math.max(1, Math.round(1000 / plan.analyticsProbesPerSecond / interval));
  const postingEvery = 1000 / plan.postingsPerSecond;
  const probePostings = Array.from({ length: 20 }, (_, j) => `bench-${ctx.runId}-${tag}-probe${j}`);
  const expected = new Map<string, number>();
  /** A probe waiting to be seen: an analytics view (its posting's n-th) or a new posting. */
  type Probe = { kind: 'analytics' | 'listings'; postingId: string; n: number; ackAt: number; nextAt: number };
  const pending: Probe[] = [];
  const out: LagResult = { analytics: [], listings: [], unresolved: { analytics: 0, listings: 0 }, offered: 0, acked: 0, ackLatencies: [], errors: 0, seconds: plan.seconds };
  const inflight = new Set<Promise<void>>();
  const track = (p: Promise<void>) => {
    inflight.add(p);
    void p.finally(() => inflight.delete(p));
  };
  const fail = (err: unknown) => {
    out.errors++;
    out.firstError ??= err instanceof Error ? err.message : String(err);
  };

  /**
   * Each probe is polled every max(pollEveryMs, 10 % of its age), at most 2 s apart, with at most
   * MAX_POLLS reads in flight per service: the lag is known to within ~10 %, a system that falls
   * behind is not buried under more and more polls (they hit the database the effects are written
   * to), and reads stuck on one service (they time out after 5 s) don't delay the other's probes.
   */
  // Listings reads are full scans on FerretDB: fewer of them, or the polls become the load they measure.
  const MAX_POLLS = { analytics: 6, listings: 2 };
  const intervalFor = (age: number) => Math.min(2000, Math.max(plan.pollEveryMs, age * 0.1));
  const polling = new Map<string, Promise<void>>();
  const pollKey = async (kind: Probe['kind'], postingId: string) => {
    const value = kind === 'analytics' ? await driver.viewsOf(postingId).catch(() => -1) : (await driver.postingVisible(postingId).catch(() => false)) ? 1 : 0;
    const t = now();
    for (let i = pending.length - 1; i >= 0; i--) {
      const p = pending[i];
      if (p.kind !== kind || p.postingId !== postingId) continue;
      if (p.n <= value) {
        out[kind].push(t - p.ackAt);
        pending.splice(i, 1);
      } else p.nextAt = t + intervalFor(t - p.ackAt);
    }
  };

  let generating = true;
  let stoppedAt = Infinity;
  const poller = (async () => {
    for (;;) {
      if (!generating && inflight.size === 0 && pending.length === 0) break;
      // Effects not readable `graceSeconds` after the load stopped are reported as never seen.
      if (now() > stoppedAt + plan.graceSeconds * 1000) break;
      const t = now();
      const busy = { analytics: 0, listings: 0 };
      for (const key of polling.keys()) busy[key.startsWith('analytics:') ? 'analytics' : 'listings']++;
      for (const p of pending) {
        const key = `${p.kind}:${p.postingId}`;
        if (busy[p.kind] >= MAX_POLLS[p.kind] || p.nextAt > t || polling.has(key)) continue;
        busy[p.kind]++;
        polling.set(key, pollKey(p.kind, p.postingId).finally(() => polling.delete(key)));
      }
      await sleep(10);
    }
    await Promise.all([...polling.values()]);
    out.unresolved = { analytics: pending.filter((p) => p.kind === 'analytics').length, listings: pending.filter((p) => p.kind === 'listings').length };
  })();

  const t0 = now();
  const measureFrom = t0 + plan.warmupSeconds * 1000;
  const end = measureFrom + plan.seconds * 1000;
  let measuring = false;
  let k = 0;
  let nextPosting = t0;
  let postings = 0;
  while (now() < end) {
    if (!measuring && now() >= measureFrom) {
      measuring = true;
      onMeasuring?.();
    }
    const due = t0 + k * interval;
    if (now() < due) {
      await sleep(Math.max(0, Math.min(due, nextPosting, measuring ? Infinity : measureFrom) - now()));
      continue;
    }
    const beaconNo = k++;
    const items: Item[] = Array.from({ length: plan.beaconSize }, (_, i) => ({ type: 'view', postingId: engaged[(beaconNo * plan.beaconSize + i) % engaged.length], viewerId: `lv-${tag}-${beaconNo}-${i}` }));
    let probe: { postingId: string; n: number } | undefined;
    if (measuring && beaconNo % probeEvery === 0) {
      const postingId = probePostings[(beaconNo / probeEvery) % probePostings.length];
      const n = (expected.get(postingId) ?? 0) + 1;
      expected.set(postingId, n);
      items[0] = { type: 'view', postingId, viewerId: `probe-${tag}-${beaconNo}` };
      probe = { postingId, n };
    }
    const sentAt = now();
    const counted = measuring;
    if (counted) out.offered += items.length;
    track(
      driver.sendBeacon(items).then(() => {
        const ackAt = now();
        if (!counted) return;
        out.acked += items.length;
        out.ackLatencies.push(ackAt - sentAt);
        if (probe) pending.push({ kind: 'analytics', ...probe, ackAt, nextAt: ackAt });
      }, fail),
    );
    if (now() >= nextPosting) {
      nextPosting += postingEvery;
      const i = postings++;
      track(
        driver.createPosting(i).then((postingId) => {
          const ackAt = now();
          if (counted) pending.push({ kind: 'listings', postingId, n: 1, ackAt, nextAt: ackAt });
        }, fail),
      );
    }
  }
  generating = false;
  stoppedAt = now();
  await Promise.all([...inflight]);
  await poller;
  return out;
}

function lagRows(ctx: BenchContext, svc: LagResult, base: LagResult): ResultRow[] {
  const plan = ctx.options.plan.lag;
  const triple = (v: number[], unresolved: number) =>
    `${fmtMs(percentile(v, 50))} / ${fmtMs(percentile(v, 99))} / ${fmtMs(max(v))}${unresolved > 0 ? ` (+${unresolved} never seen)` : ''}`;
  const row = (what: 'analytics' | 'listings', measure: string): ResultRow => {
    const p99 = percentile(svc[what], 99);
    const missing = svc.unresolved[what];
    const met = missing === 0 && p99 < 1000;
    return {
      section: 'lag',
      measure: `${measure} p50 / p99 / max (${svc[what].length} probes)`,
      unit: 'ms',
      jobstream: p99,
      baseline: percentile(base[what], 99),
      display: { jobstream: triple(svc[what], svc.unresolved[what]), baseline: triple(base[what], base.unresolved[what]) },
      target: 'p99 < 1 s',
      met,
      margin: met ? `${fmtMs(1000 - p99)} spare` : missing > 0 ? `${missing} of ${missing + svc[what].length} not readable ${plan.graceSeconds} s after the load stopped` : `${fmtMs(p99 - 1000)} over`,
      samples: { jobstream: svc[what], baseline: base[what] },
    };
  };
  const rate = (r: LagResult) => `${fmtInt(r.acked / r.seconds)} events/s acked (ack p50 ${fmtMs(percentile(r.ackLatencies, 50))}, p99 ${fmtMs(percentile(r.ackLatencies, 99))})${r.errors > 0 ? `, ${r.errors} errors: ${r.firstError}` : ''}`;
  ctx.notes.push(
    `lag: offered ${fmtInt(plan.rate)} engagement events/s as beacons of ${plan.beaconSize} plus ${plan.postingsPerSecond} new postings/s for ${plan.seconds} s, all four services running, after ${plan.warmupSeconds} s of the same load with no probe (freshly started JVMs and services compile their hot paths under it; figures are of the ${plan.seconds} s after); ` +
      `jobstream ${rate(svc)}; bare ${rate(base)}. Each effect polled every max(${plan.pollEveryMs} ms, 10 % of its age, ≤ 2 s), ≤ 6 analytics / 2 listings reads in flight, 5 s read timeout (a lag is known to within ~10 %; listings reads were FerretDB scans before pages moved to the search index; kept few for comparability). ` +
      `Baseline: bare producer -> bare consumers (as in the consumers rows) -> Redis hash / raw-driver findOne, no HTTP, no analytics snapshots feeding listings.`,
  );
  return [row('analytics', 'ack → analytics counter readable (GET /v1/postings/:id/stats)'), row('listings', 'ack → new posting readable (GET /v1/postings/:id) and searchable (GET /v1/postings?companyId=…)')];
}

/**
 * End-to-end lag at a fixed offered rate: first through the platform (ingest HTTP -> Kafka ->
 * analytics / listings -> their read APIs), then through the bare pipeline on the same engines.
 */
export async function lagPhase(ctx: BenchContext): Promise<void> {
  ctx.fleet.phase = 'lag';
  const ingest = await ensureIngest(ctx);
  const listingsGroup = groupId(ctx, 'listings');
  if (!ctx.services.listings) {
    await positionGroup(ctx.kafka, ctx.admin, listingsGroup);
    ctx.services.listings = await startListings(ctx, { group: listingsGroup, database: database(ctx, 'listings') });
  }
  const listings = ctx.services.listings;
  const a = analyticsSetup(ctx);
  await positionGroup(ctx.kafka, ctx.admin, a.group); // all topics at their end: it only sees the lag load
  ctx.services.analytics = await startAnalytics(ctx, a);
  const analytics = ctx.services.analytics;
  await ensureNotifier(ctx);
  await sleep(1000);
  const plan = ctx.options.plan.lag;
  const engaged = ctx.projectedPostings.length > 0 ? ctx.projectedPostings.slice(0, plan.engagedPostings) : Array.from({ length: plan.engagedPostings }, (_, i) => `bench-${ctx.runId}-lag${i}`);

  log(`lag: through the services, ${fmtInt(plan.rate)} events/s for ${plan.warmupSeconds} s of warm-up, then ${plan.seconds} s measured`);
  // Started when the warm-up ends: the notes describe the measured window only.
  type Meter = { done: () => Promise<string> };
  let meters: Promise<{ cpu: ReturnType<typeof cpuMeter>; beacons: Meter; search: Meter; counters: Meter }> | undefined;
  const startMeters = () => {
    const cpu = cpuMeter(ctx.fleet, ctx.engines.kafkaPrivate);
    meters = Promise.all([
      routeLatency(ingest.url, '/v1/engagement/batch'),
      openSearchWork(ctx.engines.opensearchUrl),
      routeAndConsumer(analytics.url, '/v1/postings/:id/stats', a.group, Topics.engagement),
    ]).then(([beacons, search, counters]) => ({ cpu, beacons, search, counters }));
  };
  let readTimeouts = 0;
  let statsTimeouts = 0;
  const svc = await runLag(
    ctx,
    {
      sendBeacon: async (items) => {
        const res = await request('POST', `${ingest.url}/v1/engagement/batch`, { events: items });
        if (res.status !== 202) throw new Error(`beacon: HTTP ${res.status} ${res.body.slice(0, 120)}`);
      },
      createPosting: async (i) => {
        const res = await request('POST', `${ingest.url}/v1/postings`, { companyId: `bench-${ctx.runId}-lagco`, externalId: `lag-${i}`, ...postingContent(i) }, asOperator);
        if (res.status !== 202) throw new Error(`posting: HTTP ${res.status} ${res.body.slice(0, 120)}`);
        return (JSON.parse(res.body) as { postingId: string }).postingId;
      },
      // Polls give up after 5 s (then count as not yet readable): a read stuck behind the database must not stall the poller.
      viewsOf: async (postingId) => {
        const res = await request('GET', `${analytics.url}/v1/postings/${postingId}/stats`, undefined, {}, 5000).catch(() => undefined);
        if (!res) statsTimeouts++;
        return res?.status === 200 ? (JSON.parse(res.body) as { totalViews: number }).totalViews : 0;
      },
      // Readable (its page, a real-time GET) and searchable (the newest of its company, after a refresh).
      postingVisible: async (postingId) => {
        const page = await request('GET', `${listings.url}/v1/postings/${postingId}`, undefined, {}, 5000).catch(() => undefined);
        if (!page) readTimeouts++;
        if (page?.status !== 200) return false;
        const found = await request('GET', `${listings.url}/v1/postings?companyId=bench-${ctx.runId}-lagco&sort=recent&limit=20`, undefined, {}, 5000).catch(() => undefined);
        if (!found) readTimeouts++;
        return found?.status === 200 && found.body.includes(`"postingId":"${postingId}"`);
      },
    },
    engaged,
    'svc',
    startMeters,
  );

  const { cpu: cpuSvc, beacons, search, counters } = await meters!;
  ctx.notes.push(cpuSvc.note('lag through the services (measured load + grace)'));
  ctx.notes.push(`lag: ingest, ${await beacons.done()}`);
  ctx.notes.push(`lag: analytics, ${await counters.done()}`);
  ctx.notes.push(`lag: OpenSearch during the measured load and grace (listings' search projection and the polls): ${await search.done()}`);
  if (readTimeouts > 0) ctx.notes.push(`lag: ${readTimeouts} page or search polls on listings got no answer within 5 s`);
  if (statsTimeouts > 0) ctx.notes.push(`lag: ${statsTimeouts} polls of GET /v1/postings/:id/stats on analytics got no answer within 5 s`);
  const behind = async (group: string, topics: string[]) =>
    Object.entries(await groupLag(ctx.admin, group, topics))
      .map(([t, n]) => `${t} ${fmtInt(n)}`)
      .join(', ');
  ctx.notes.push(
    `lag: consumer lag ${plan.graceSeconds} s after the load stopped: listings store of record (FerretDB) ${await behind(listingsGroup, [Topics.postings])}; ` +
      `listings search projection (OpenSearch: search and pages) ${await behind(`${listingsGroup}-search-v2`, [Topics.postings])}, its counters ${await behind(`${listingsGroup}-search-stats-v2`, [Topics.postingStats])}; analytics ${await behind(a.group, [Topics.engagement, Topics.postings])} ` +
      `(analytics publishes a posting-stats snapshot of every changed posting each ANALYTICS_SNAPSHOT_INTERVAL_MS, by default ${fmtMs(SnapshotConfigSpec.ANALYTICS_SNAPSHOT_INTERVAL_MS.default ?? 0)}, a what-if run's value in its first note; the search projection applies them)`,
  );
  // The services would consume the baseline's events too: stop them (ingest and the consumers are done).
  // Their graceful shutdown waits for each consumer's fetch in flight, which an idle broker holds up
  // to CONSUMER_FETCH_MAX_WAIT_MS (5 s by default), and may wait for a slice stuck behind FerretDB:
  // 10 s, then SIGKILL (the bench logs it).
  await Promise.all(
    (['analytics', 'listings', 'ingest'] as const).map(async (name) => {
      await ctx.fleet.stop(ctx.services[name]!, ctx.options.profile ? 30_000 : 10_000);
      ctx.services[name] = undefined;
    }),
  );
  // FerretDB may still be executing what the killed listings sent: let it finish before measuring the bare pipeline.
  const waited = await waitUntilQuiet(enginePids(ctx.engines.kafkaPrivate).ferretdb, ctx.options.plan.mode === 'quick' ? 10_000 : 60_000);
  if (waited > 2) ctx.notes.push(`lag: FerretDB stayed busy ${waited.toFixed(0)} s after listings stopped (statements it had queued); the bare run started after`);
  log('lag: through the bare pipeline');
  ctx.fleet.phase = 'lag (baseline)';
  const basePrefix = `${redisPrefix(ctx, 'analytics-base')}:`;
  const baseDb = database(ctx, 'listings_base');
  await createPostingIndexes(ctx.mongo, baseDb);
  const baseRedis = new Redis(ctx.engines.redisUrl, { maxRetriesPerRequest: 20 });
  const baseMongo: MongoClient = new mongoose.mongo.MongoClient(ctx.engines.mongoBase, { retryWrites: false });
  await baseMongo.connect();
  const producer = durableProducer(ctx.kafka, 1);
  await producer.connect();
  const ga = groupId(ctx, 'analytics-base-lag');
  const gl = groupId(ctx, 'listings-base-lag');
  await positionGroup(ctx.kafka, ctx.admin, ga);
  await positionGroup(ctx.kafka, ctx.admin, gl);
  const bareA = await bareAnalytics(ctx.kafka, baseRedis, ga, basePrefix, Number(BENCH_DEDUPE_TTL));
  const bareL = await bareListings(ctx.kafka, baseMongo, gl, baseDb);
  let base: LagResult;
  let cpuBase: ReturnType<typeof cpuMeter> | undefined;
  try {
    await sleep(1000);
    base = await runLag(
      ctx,
      {
        sendBeacon: async (items) => {
          const events = items.map((i) => createEvent('posting.viewed', { postingId: i.postingId, viewerId: i.viewerId }, 'bench'));
          await producer.send({ topic: Topics.engagement, acks: -1, messages: events.map(toMessage) });
        },
        createPosting: async (i) => {
          const event = postingPublished(`${ctx.runId}-lagbase`, i, new Date());
          await producer.send({ topic: Topics.postings, acks: -1, messages: [toMessage(event)] });
          return event.data.postingId;
        },
        viewsOf: async (postingId) => Number((await baseRedis.hget(`${basePrefix}p:${postingId}`, 'views')) ?? 0),
        postingVisible: async (postingId) => (await baseMongo.db(baseDb).collection<{ _id: string }>('postings').findOne({ _id: postingId }, { projection: { _id: 1 } })) !== null,
      },
      engaged,
      'base',
      () => (cpuBase = cpuMeter(ctx.fleet, ctx.engines.kafkaPrivate)),
    );
  } finally {
    await bareA.stop();
    await bareL.stop();
    await producer.disconnect();
    baseRedis.disconnect();
    await baseMongo.close();
  }
  ctx.notes.push(cpuBase!.note('lag through the bare pipeline (measured load + grace)'));
  ctx.rows.push(...lagRows(ctx, svc, base));
  log(`lag: analytics p99 ${fmtMs(percentile(svc.analytics, 99))} (bare ${fmtMs(percentile(base.analytics, 99))}), listings p99 ${fmtMs(percentile(svc.listings, 99))} (bare ${fmtMs(percentile(base.listings, 99))})`);
}
