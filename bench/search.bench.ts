import mongoose from 'mongoose';
import { OpenSearchGateway, msearchLines } from '../apps/listings/src/search/opensearch.gateway';
import { SearchIndex } from '../apps/listings/src/search/search-index';
import { UNREAD_POSTING_FIELDS, companyDocId, postingFields } from '../apps/listings/src/search/search.document';
import { facetsBody, hitsSearch, searchBody, type SearchRequest } from '../apps/listings/src/search/search.query';
import { PREVIOUS_SEARCH_INDEXES, previousSearchDocument, searchFilter, sortOf, type SearchQuery } from './support/previous-search';
import { cpuBetween, cpuSnapshot, enginePids, waitUntilQuiet, type CpuSnapshot } from './support/cpu';
import { commonEnv, database, groupId, searchAlias, type BenchContext, type MongoClient } from './support/context';
import { postingPublished, SEARCH_CITIES, SEARCH_WORDS } from './support/events';
import { request } from './support/http';
import { OpenLoopDriver, sendProbe, type PlannedProbe, type PlannedRequest } from './support/open-loop';
import { routeLatency } from './support/metrics';
import { positionGroup } from './support/kafka';
import { closedLoop } from './support/measure';
import { fmtInt, fmtMs, log, median, now, percentile } from './support/util';
import type { ResultRow } from './support/report';

interface Query {
  /** Query string of GET /v1/postings. */
  params: Record<string, string>;
  /** The same search as the controller builds it, for the raw driver (the previous FerretDB path). */
  query: SearchQuery;
  /** The same search as listings sends OpenSearch, for `_msearch` driven directly. */
  request: SearchRequest;
}

/** A mix of what the search page asks: newest first, keywords, a city, filters, trending. */
function queries(): Query[] {
  const out: Query[] = [];
  const add = (params: Record<string, string>) => {
    out.push({
      params,
      query: {
        q: params.q,
        location: params.location,
        workplaceType: params.workplaceType,
        employmentType: params.employmentType,
        skills: params.skills?.split(',').map((s) => s.trim()).filter(Boolean),
        sort: params.sort === 'trending' ? 'trending' : 'recent',
        limit: params.limit ? Number(params.limit) : 20,
      },
      request: {
        q: params.q,
        location: params.location,
        workplaceType: params.workplaceType,
        employmentType: params.employmentType,
        skills: params.skills?.split(',').map((s) => s.trim()).filter(Boolean),
        sort: params.sort === 'trending' ? 'trending' : params.q ? 'relevance' : 'recent',
        limit: params.limit ? Number(params.limit) : 20,
      },
    });
  };
  for (let i = 0; i < 10; i++) {
    add({});
    add({ q: SEARCH_WORDS[i % SEARCH_WORDS.length] });
    add({ location: SEARCH_CITIES[i % SEARCH_CITIES.length] });
    add({ q: SEARCH_WORDS[(i + 3) % SEARCH_WORDS.length], workplaceType: 'remote' });
    add({ skills: 'TypeScript', employmentType: 'full-time' });
    add({ sort: 'trending' });
  }
  return out;
}

const PROJECTION = { snapshot: 1, companyName: 1, stats: 1, postedAt: 1, trendingScore: 1 };

/** What a measurement costs per request, whichever side it is made on. */
type Probe = (i: number) => Promise<unknown>;

/** Sequential requests, one at a time: each latency. */
async function oneClient(n: number, probe: Probe): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = now();
    await probe(i);
    out.push(now() - t);
  }
  return out;
}

/**
 * One client, the two sides alternating request by request (the same query on each, in turn), so
 * whatever else the machine does at some moment (a merge, a collection, another process) falls on
 * both sides alike rather than on whichever was measured first.
 */
async function oneClientEach(n: number, service: Probe, engine: Probe): Promise<{ service: number[]; engine: number[] }> {
  const out = { service: [] as number[], engine: [] as number[] };
  for (let i = 0; i < n; i++) {
    const [first, second] = i % 2 === 0 ? (['service', 'engine'] as const) : (['engine', 'service'] as const);
    for (const side of [first, second]) {
      const t = now();
      await (side === 'service' ? service : engine)(i);
      out[side].push(now() - t);
    }
  }
  return out;
}

interface OpenLoopResult {
  latencies: number[];
  failed: number;
  firstError: string;
  /** The loop's longest event-loop stall, ms. */
  stallMs: number;
  /** Where the machine's CPU went while it ran. */
  cpu: ReturnType<typeof cpuBetween>;
  requests: number;
}

/**
 * Open loop: a request every 1/rate s whether or not earlier ones have answered, each latency
 * counted from when it was due (so a stall shows in every request it delayed). It runs on the
 * driver's worker thread, out of reach of the main thread's collections of the corpus it holds.
 */
async function openLoop(driver: OpenLoopDriver, rate: number, probes: PlannedProbe[], cpu: () => CpuSnapshot): Promise<OpenLoopResult> {
  let cpu0: CpuSnapshot | undefined;
  const run = await driver.run(rate, probes, () => (cpu0 = cpu()));
  return { ...run, cpu: cpuBetween(cpu0!, cpu()), requests: probes.length };
}

/** "listings 4.8 + opensearch 9.0 + bench process … 1.7 ms of CPU a request, machine 83 % busy": what an open loop cost the machine. */
const costOf = (r: OpenLoopResult) =>
  `${r.cpu.used.map(([label, s]) => `${label} ${((s * 1000) / r.requests).toFixed(1)}`).join(' + ')} ms of CPU a request, machine ${Math.round((100 * r.cpu.machineBusy) / r.cpu.machineTotal)} % busy`;

const pct = (v: readonly number[]) => `${fmtMs(percentile(v, 50))} / ${fmtMs(percentile(v, 99))}`;

function p99Row(section: string, measure: string, svc: number[], base: number[], limitMs: number, target: string, note: string): ResultRow {
  const p99 = percentile(svc, 99);
  const met = p99 < limitMs;
  return {
    section,
    measure,
    unit: 'ms',
    jobstream: p99,
    baseline: percentile(base, 99),
    display: { jobstream: pct(svc), baseline: pct(base) },
    target,
    met,
    margin: met ? `${fmtMs(limitMs - p99)} spare` : `${fmtMs(p99 - limitMs)} over`,
    samples: { jobstream: svc, baseline: base },
    note,
  };
}

/**
 * Search and the posting page at 1,000 / 10,000 / 100,000 postings, through listings (both read
 * OpenSearch), each beside the same request sent to OpenSearch directly: `_msearch` with the bodies
 * listings sends (searchBody and facetsBody, in one request), and a real-time `_doc` GET of the posting and of its company.
 * The corpus is loaded straight into the index in the shape the projection writes (postingFields,
 * company documents) with `_bulk`, and into FerretDB in the shape the previous search path stored
 * (bench/support/previous-search.ts): a few of its queries are timed at each size for comparison.
 */
export async function searchPhase(ctx: BenchContext): Promise<void> {
  const plan = ctx.options.plan.search;
  ctx.fleet.phase = 'search';
  const waited = await waitUntilQuiet(enginePids(ctx.engines.kafkaPrivate).ferretdb, ctx.options.plan.mode === 'quick' ? 10_000 : 60_000);
  if (waited > 2) ctx.notes.push(`search: waited ${waited.toFixed(0)} s for FerretDB to finish earlier phases' statements before measuring`);
  const db = database(ctx, 'corpus');
  const collection = ctx.mongo.db(db).collection('postings');
  for (const fields of PREVIOUS_SEARCH_INDEXES) await collection.createIndex(fields);
  const os = OpenSearchGateway.create(ctx.engines.opensearchUrl, 600_000);
  const index = new SearchIndex(os, `${searchAlias(ctx)}-corpus`, 'v2', '1s');
  await index.ensure();
  await index.switchAlias([]);
  const ids: string[] = [];
  const companyOf = new Map<string, string>();
  let loaded = 0;
  let oldestPostedAt = Infinity;
  const load = async (size: number) => {
    const t = now();
    const epoch = Date.now();
    oldestPostedAt = Math.min(oldestPostedAt, epoch - (size - 1) * 60_000);
    let bulkMs = 0;
    for (let start = loaded; start < size; start += 1000) {
      const events = Array.from({ length: Math.min(1000, size - start) }, (_, k) => postingPublished(ctx.runId, start + k, new Date(epoch - (start + k) * 60_000)));
      const companyName = (companyId: string) => `Company ${companyId.slice(-3)}`;
      const trendingScore = (e: (typeof events)[number]) => (e.data.revision * 7919 + Number(e.data.postingId.replace(/\D/g, '').slice(-4))) % 1000;
      await collection.insertMany(events.map((e) => previousSearchDocument(e.data, e.occurredAt, companyName(e.data.companyId), trendingScore(e))), { ordered: false });
      const companies = [...new Set(events.map((e) => e.data.companyId))];
      const lines = [
        ...events.flatMap((e) => [{ index: { _index: index.name, _id: e.data.postingId } }, { ...postingFields(e.data, e.occurredAt), companyName: companyName(e.data.companyId), trendingScore: trendingScore(e) }]),
        ...companies.flatMap((companyId) => [
          { index: { _index: index.name, _id: companyDocId(companyId) } },
          { kind: 'company', companyId, companyName: companyName(companyId), companyVersion: '0', profile: { name: companyName(companyId), headquarters: 'Berlin', stage: 'Series B' }, updatedAt: new Date(epoch).toISOString() },
        ]),
      ];
      const b = now();
      const answer = await os.bulk<{ errors: boolean }>('/_bulk', lines);
      bulkMs += now() - b;
      if (answer.errors) throw new Error('search: OpenSearch refused corpus documents');
      for (const e of events) {
        ids.push(e.data.postingId);
        companyOf.set(e.data.postingId, e.data.companyId);
      }
    }
    await index.refresh();
    const added = size - loaded;
    loaded = size;
    if (added > 0) {
      ctx.notes.push(
        `search: loaded ${fmtInt(added)} postings (now ${fmtInt(size)}) in ${((now() - t) / 1000).toFixed(1)} s; OpenSearch _bulk took ${(bulkMs / 1000).toFixed(1)} s of it ` +
          `(${fmtInt(added / (bulkMs / 1000))} postings/s, the baseline a search projection writes against), FerretDB insertMany the rest`,
      );
    }
  };
  const group = groupId(ctx, 'listings-search');
  await positionGroup(ctx.kafka, ctx.admin, group);
  const listings = await ctx.fleet.start(
    'listings',
    { ...commonEnv(ctx), KAFKA_GROUP_ID: group, MONGO_URL: `${ctx.engines.mongoBase}/${db}`, SEARCH_INDEX: `${searchAlias(ctx)}-corpus`, CONSUMER_FROM_BEGINNING: 'latest', SEARCH_RATE_LIMIT: '100000000' },
    'listings (search corpus)',
  );
  const mix = queries();
  const driver: MongoClient = new mongoose.mongo.MongoClient(ctx.engines.mongoBase, { retryWrites: false });
  await driver.connect();
  const raw = driver.db(db).collection('postings');
  // Each side's requests are planned, then sent by the same plain HTTP client (sendProbe), here or on the open loop's thread.
  const engineUrl = ctx.engines.opensearchUrl;
  const searchProbe = (q: Query): PlannedProbe => [{ method: 'GET', url: `${listings.url}/v1/postings?${new URLSearchParams(q.params).toString()}` }];
  // What listings sends for one search: the page of hits and, in the same _msearch, the cacheable facets request.
  const searchEngineProbe = (q: Query): PlannedProbe => {
    const lines = msearchLines([hitsSearch(searchBody(q.request), index.alias), { index: index.alias, body: facetsBody(q.request) }]);
    return [{ method: 'POST', url: `${engineUrl}/_msearch`, body: lines.map((l) => `${JSON.stringify(l)}\n`).join(''), contentType: 'application/x-ndjson', multiSearch: true }];
  };
  const viaService = async (q: Query) => {
    await sendProbe(searchProbe(q));
    return 1;
  };
  const viaEngine = async (q: Query) => {
    await sendProbe(searchEngineProbe(q));
    return 1;
  };
  // Right after a refresh that changed the index the request cache (counts and pages of hits) is empty: the worst case of each search.
  const clearCache = () => os.call('POST', `/${index.name}/_cache/clear`, undefined, { querystring: { request: 'true' } });
  const cold = (via: (q: Query) => Promise<number>) => async (i: number) => {
    await clearCache();
    const t = now();
    await via(mix[i % mix.length]);
    return now() - t;
  };
  const viaDriver = async (q: Query) => {
    await raw.find(searchFilter(q.query) as unknown as mongoose.mongo.Filter<mongoose.mongo.Document>, { projection: PROJECTION }).sort(sortOf(q.query.sort)).limit(q.query.limit + 1).toArray();
    return 1;
  };
  // Pages of postings spread over the whole corpus (a fixed stride, so both sides read the same ones).
  const pageId = (i: number) => ids[(i * 7919) % ids.length];
  const pageProbe = (i: number): PlannedProbe => [{ method: 'GET', url: `${listings.url}/v1/postings/${pageId(i)}` }];
  // The two real-time GETs listings' page reader sends: the posting, then its company.
  const pageEngineProbe = (i: number): PlannedProbe => {
    const id = pageId(i);
    const get = (docId: string, query: Record<string, string>): PlannedRequest => ({ method: 'GET', url: `${engineUrl}/${index.alias}/_doc/${encodeURIComponent(docId)}?${new URLSearchParams(query).toString()}` });
    return [get(id, { _source_includes: 'kind,snapshot,stats', _source_excludes: UNREAD_POSTING_FIELDS.join(',') }), get(companyDocId(companyOf.get(id)!), { _source_includes: 'kind,profile,updatedAt,insights' })];
  };
  const pageViaService = (i: number) => sendProbe(pageProbe(i));
  const pageViaEngine = (i: number) => sendProbe(pageEngineProbe(i));
  const pageViaDriver = async (i: number) => raw.findOne({ _id: pageId(i) as never }, { projection: { snapshot: 1 } });

  const loops = OpenLoopDriver.start();
  try {
    let warm = false;
    for (const step of plan.ladder) {
      await load(step.size);
      // After a load both engines go on working for a while (OpenSearch merges segments, FerretDB
      // writes its pages out): the measurements start once they are quiet.
      const pids = enginePids(ctx.engines.kafkaPrivate);
      const settled = (await waitUntilQuiet(pids.opensearch, 120_000, 0.3)) + (await waitUntilQuiet(pids.ferretdb, 120_000, 0.3));
      if (settled > 2) ctx.notes.push(`search: ${fmtInt(step.size)} postings: waited ${settled.toFixed(0)} s after loading for OpenSearch and FerretDB to go quiet`);
      const size = fmtInt(step.size);
      if (!warm) {
        // Unmeasured: a just-started OpenSearch or listings runs its first few hundred requests in
        // the interpreter, before the JIT compiles the hot paths.
        const rounds = Math.min(step.queries, 200);
        await oneClient(rounds, (i) => Promise.all([viaService(mix[i % mix.length]), viaEngine(mix[i % mix.length]), pageViaService(i), pageViaEngine(i)]));
        // And the open loops' thread, whose client has compiled nothing yet.
        await loops.warm(Array.from({ length: rounds }, (_, i) => [...searchProbe(mix[i % mix.length]), ...searchEngineProbe(mix[i % mix.length]), ...pageProbe(i), ...pageEngineProbe(i)]));
        warm = true;
      }
      log(`search: ${size} postings: one client, ${step.queries} searches and ${step.pages} pages each way`);
      const { service: s, engine: b } = await oneClientEach(step.queries, (i) => viaService(mix[i % mix.length]), (i) => viaEngine(mix[i % mix.length]));
      // The previous path, for comparison: a few queries only, since FerretDB scans the whole corpus each time.
      const f = await oneClient(step.size >= 100_000 ? 2 : 5, (i) => viaDriver(mix[i % mix.length]));
      ctx.rows.push(p99Row('search', `GET /v1/postings, one client, ${size} postings: p50 / p99 of ${step.queries} (keyword, filters, sorts)`, s, b, 50, 'p99 < 50 ms', `baseline: OpenSearch's own _msearch with the same two bodies (hits and facets); the previous FerretDB path: median ${fmtMs(median(f))} of ${f.length}; facet counts and the scored pages of a repeated search come from the engine's request cache, as between two refreshes that change the index`));
      const coldRuns = Math.min(step.queries, 120);
      const sc: number[] = [];
      const bc: number[] = [];
      for (let i = 0; i < coldRuns; i++) {
        sc.push(await cold(viaService)(i));
        bc.push(await cold(viaEngine)(i));
      }
      ctx.rows.push(p99Row('search', `GET /v1/postings, one client, request cache emptied before each, ${size} postings: p50 / p99 of ${coldRuns}`, sc, bc, 50, 'p99 < 50 ms', `every search as if a refresh had just changed the index (under constant writes, the first search of each kind after each refresh); baseline: the same _msearch request directly`));
      const { service: ps, engine: pb } = await oneClientEach(step.pages, pageViaService, pageViaEngine);
      const pf = await oneClient(5, pageViaDriver);
      ctx.rows.push(p99Row('page', `GET /v1/postings/:id (whole page), one client, ${size} postings: p50 / p99 of ${step.pages}`, ps, pb, 20, 'p99 < 20 ms', `baseline: OpenSearch real-time GET of the posting and its company, directly; the previous path (FerretDB findOne by _id): median ${fmtMs(median(pf))} of ${pf.length}`));

      const { rate, seconds } = plan.openLoop;
      const due = (probe: (i: number) => PlannedProbe) => Array.from({ length: Math.round(rate * seconds) }, (_, i) => probe(i));
      log(`search: ${size} postings: open loop, ${rate}/s for ${seconds} s, searches then pages`);
      // Each side starts as right after a refresh that changed the index, with nothing in the
      // request cache: the side measured second would otherwise find every count and page of hits
      // the first side cached.
      await clearCache();
      const watch = () => cpuSnapshot(ctx.fleet, ctx.engines.kafkaPrivate);
      // What listings itself measured of the same requests: a tail it didn't see was queued in front of it.
      const searchInside = await routeLatency(listings.url, '/v1/postings');
      const os1 = await openLoop(loops, rate, due((i) => searchProbe(mix[i % mix.length])), watch);
      const searchSeen = await searchInside.done();
      await clearCache();
      const ob1 = await openLoop(loops, rate, due((i) => searchEngineProbe(mix[i % mix.length])), watch);
      ctx.rows.push(
        p99Row(
          'search',
          `GET /v1/postings, open loop ${rate}/s for ${seconds} s, ${size} postings: p50 / p99`,
          os1.latencies,
          ob1.latencies,
          100,
          'p99 < 100 ms',
          `baseline: _msearch directly at the same rate; latency from when each request was due; each side starts with the request cache emptied; ${costOf(os1)} / ${costOf(ob1)}; the loop's own longest stall ${fmtMs(os1.stallMs)} / ${fmtMs(ob1.stallMs)}; listings' ${searchSeen}${os1.failed + ob1.failed > 0 ? `; failed: ${os1.failed} / ${ob1.failed} (${os1.firstError || ob1.firstError})` : ''}`,
        ),
      );
      const pageInside = await routeLatency(listings.url, '/v1/postings/:id');
      const op = await openLoop(loops, rate, due(pageProbe), watch);
      const pageSeen = await pageInside.done();
      const obp = await openLoop(loops, rate, due(pageEngineProbe), watch);
      ctx.rows.push(p99Row('page', `GET /v1/postings/:id, open loop ${rate}/s for ${seconds} s, ${size} postings: p50 / p99`, op.latencies, obp.latencies, 20, 'p99 < 20 ms', `baseline: the two real-time GETs directly at the same rate; ${costOf(op)} / ${costOf(obp)}; the loop's own longest stall ${fmtMs(op.stallMs)} / ${fmtMs(obp.stallMs)}; listings' ${pageSeen}${op.failed + obp.failed > 0 ? `; failed: ${op.failed} / ${obp.failed} (${op.firstError || obp.firstError})` : ''}`));
    }

    // 50 clients back to back at the largest size: throughput against _msearch driven the same way.
    // Three times:
    // - the page's mix as it comes: popular searches repeat, and listings answers a copy of a search
    //   in flight with that search's answer;
    // - no two alike: each search with its own postedAfter just after the oldest posting, new for each
    //   side and round, so that the engine scores every one (neither side finds the other's, or its
    //   own, in the request cache): what the target is judged on;
    // - alike to the engine: the same, but each postedAfter before any posting, which the engine
    //   rewrites away (a range covering the whole shard), so its request cache answers them all. The
    //   baseline then reads only the cache; listings reads relevance and trending first pages on its
    //   shared point in time, which the cache keys apart (one scoring per search and point in time,
    //   a new one every PIT_SHARE_MS). Listings' own cost per search against the cheapest engine.
    const corpus = fmtInt(loaded);
    let distinctRun = 0;
    const alike = (lane: number, i: number) => mix[(lane * 7 + i) % mix.length];
    const postedAfter = (from: number) => (lane: number, i: number, seq: number): Query => {
      const q = alike(lane, i);
      // Each side and round its own span of milliseconds (seq stays far below 100,000 in 12 s).
      const after = new Date(from + seq + 100_000 * distinctRun);
      return { ...q, params: { ...q.params, postedAfter: after.toISOString() }, request: { ...q.request, postedAfter: after } };
    };
    const distinct = postedAfter(oldestPostedAt + 1);
    const foldedByEngine = postedAfter(Date.UTC(2000, 0, 1));
    const cacheStats = async () => {
      const { body } = await os.call<{ _all: { total: { request_cache: { hit_count: number; miss_count: number } } } }>('GET', `/${index.name}/_stats/request_cache`);
      return body._all.total.request_cache;
    };
    const searchCounts = async () => {
      const text = (await request('GET', `${listings.url}/metrics`, undefined, {}, 10_000)).body;
      const of = (engine: string) => Number(new RegExp(`^jobstream_searches_total\\{[^}]*engine="${engine}"[^}]*\\} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
      return { own: of('own'), shared: of('shared') };
    };
    const { warmupSeconds, seconds: loopSeconds } = plan.closedLoop;
    const variants = [
      ['the page mix', alike, true],
      ['no two alike', distinct, true],
      ['no two alike to listings, alike to the engine (its request cache answers the baseline)', foldedByEngine, false],
    ] as const;
    for (const [variant, pick, judged] of variants) {
      const rates = { svc: [] as number[], base: [] as number[] };
      const latencies = { svc: [] as number[], base: [] as number[] };
      const cache = { svc: { hits: 0, lookups: 0, searches: 0 }, base: { hits: 0, lookups: 0, searches: 0 } };
      let errors = '';
      const clients = async (via: (q: Query) => Promise<number>, side: 'svc' | 'base') => {
        distinctRun++;
        const asked = new Array<number>(plan.clients).fill(0);
        const c0 = await cacheStats();
        const r = await closedLoop(plan.clients, warmupSeconds * 1000, loopSeconds * 1000, (lane, seq) => via(pick(lane, asked[lane]++, seq)));
        const c1 = await cacheStats();
        cache[side].hits += c1.hit_count - c0.hit_count;
        cache[side].lookups += c1.hit_count - c0.hit_count + c1.miss_count - c0.miss_count;
        cache[side].searches += asked.reduce((a, b) => a + b, 0);
        if (r.errors > 0) errors += `; ${r.errors} failed (${r.firstError})`;
        rates[side].push(r.rate);
        latencies[side].push(...r.latencies);
      };
      const before = await searchCounts();
      for (let round = 0; round < ctx.options.plan.rounds; round++) {
        log(`search: round ${round + 1}: ${plan.clients} clients for ${warmupSeconds} + ${loopSeconds} s a side over ${corpus} postings, ${variant}`);
        await clients(viaService, 'svc');
        await clients(viaEngine, 'base');
      }
      const after = await searchCounts();
      const shared = after.shared - before.shared;
      const answered = shared + after.own - before.own;
      const svc = median(rates.svc);
      const base = median(rates.base);
      const ratio = (100 * svc) / base;
      const cached = (c: (typeof cache)['svc']) => `${c.searches ? (c.hits / c.searches).toFixed(2) : 0} of ${c.searches ? (c.lookups / c.searches).toFixed(2) : 0}`;
      ctx.rows.push({
        section: 'search',
        measure: `GET /v1/postings, ${plan.clients} closed-loop clients, ${corpus} postings, ${variant}: throughput (p50 / p99 in the note)`,
        unit: 'searches/s',
        jobstream: svc,
        baseline: base,
        display: { jobstream: `${svc.toFixed(1)} searches/s`, baseline: `${base.toFixed(1)} searches/s` },
        target: judged ? '≥ 80 % of _search' : 'none: shows listings against the cheapest engine',
        ...(judged ? { met: ratio >= 80 } : {}),
        margin: `${ratio.toFixed(0)} %`,
        samples: { jobstream: latencies.svc, baseline: latencies.base },
        note: `baseline: OpenSearch's own _msearch with the same bodies and clients; engine request-cache hits of its cache lookups a search: listings ${cached(cache.svc)}, baseline ${cached(cache.base)}; median of ${rates.svc.length} rounds of ${loopSeconds} s a side (after ${warmupSeconds} s unmeasured), rounds ${rates.svc.map((x) => x.toFixed(0)).join(', ')} vs ${rates.base.map((x) => x.toFixed(0)).join(', ')} searches/s; p50 / p99 ${pct(latencies.svc)} vs ${pct(latencies.base)}; ${shared} of ${answered} searches (${answered ? ((100 * shared) / answered).toFixed(0) : 0} %) shared the engine request of an identical one in flight${errors}`,
      });
      log(`search: ${plan.clients} clients, ${variant}: ${ratio.toFixed(0)} % of _search throughput, ${shared} of ${answered} searches shared`);
    }
  } finally {
    await loops.close();
    await os.close();
    await driver.close();
    await ctx.fleet.stop(listings);
  }
}
