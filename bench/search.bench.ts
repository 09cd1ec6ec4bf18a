import mongoose from 'mongoose';
import { OpenSearchGateway } from '../apps/listings/src/search/opensearch.gateway';
import { SearchIndex } from '../apps/listings/src/search/search-index';
import { postingFields } from '../apps/listings/src/search/search.document';
import { searchBody, type SearchRequest } from '../apps/listings/src/search/search.query';
import { PREVIOUS_SEARCH_INDEXES, previousSearchDocument, searchFilter, sortOf, type SearchQuery } from './support/previous-search';
import { enginePids, waitUntilQuiet } from './support/cpu';
import { commonEnv, database, groupId, searchAlias, type BenchContext, type MongoClient } from './support/context';
import { postingPublished, SEARCH_CITIES, SEARCH_WORDS } from './support/events';
import { request } from './support/http';
import { positionGroup } from './support/kafka';
import { fmtInt, fmtMs, log, max, median, now, percentile } from './support/util';

interface Query {
  /** Query string of GET /v1/postings. */
  params: Record<string, string>;
  /** The same search as the controller builds it, for the raw driver (the previous FerretDB path). */
  query: SearchQuery;
  /** The same search as listings sends OpenSearch, for `_search` driven directly. */
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

/**
 * Search latency: GET /v1/postings through listings (on OpenSearch) against the same query sent to
 * OpenSearch's own `_search` directly (searchBody, what listings sends), on a corpus loaded straight
 * into the search index in the shape the projection writes (postingFields). The previous FerretDB
 * path (the raw driver with searchFilter/sortOf on previousSearchDocument, bench/support/previous-search.ts) is measured beside it in the
 * one-client ladder, for comparison.
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
  const index = new SearchIndex(os, `${searchAlias(ctx)}-corpus`, 'v1', '1s');
  await index.ensure();
  await index.switchAlias([]);
  let loaded = 0;
  const load = async (size: number) => {
    const t = now();
    const epoch = Date.now();
    for (let start = loaded; start < size; start += 1000) {
      const events = Array.from({ length: Math.min(1000, size - start) }, (_, k) => postingPublished(ctx.runId, start + k, new Date(epoch - (start + k) * 60_000)));
      const companyName = (e: (typeof events)[number]) => `Company ${e.data.companyId.slice(-3)}`;
      const trendingScore = (e: (typeof events)[number]) => (e.data.revision * 7919 + Number(e.data.postingId.replace(/\D/g, '').slice(-4))) % 1000;
      await collection.insertMany(events.map((e) => previousSearchDocument(e.data, e.occurredAt, companyName(e), trendingScore(e))), { ordered: false });
      const lines = events.flatMap((e) => [{ index: { _index: index.name, _id: e.data.postingId } }, { ...postingFields(e.data, e.occurredAt), companyName: companyName(e), trendingScore: trendingScore(e) }]);
      const answer = await os.bulk<{ errors: boolean }>('/_bulk', lines);
      if (answer.errors) throw new Error('search: OpenSearch refused corpus documents');
    }
    await index.refresh();
    const added = size - loaded;
    loaded = size;
    if (added > 0) ctx.notes.push(`search: loaded ${fmtInt(added)} postings into the corpus (now ${fmtInt(size)}) with insertMany in ${((now() - t) / 1000).toFixed(1)} s (${fmtInt(added / ((now() - t) / 1000))} documents/s)`);
  };
  await load(plan.corpus);
  const group = groupId(ctx, 'listings-search');
  await positionGroup(ctx.kafka, ctx.admin, group);
  const listings = await ctx.fleet.start(
    'listings',
    { ...commonEnv(ctx), KAFKA_GROUP_ID: group, MONGO_URL: `${ctx.engines.mongoBase}/${db}`, SEARCH_INDEX: `${searchAlias(ctx)}-corpus`, CONSUMER_FROM_BEGINNING: 'latest' },
    'listings (search corpus)',
  );
  const mix = queries();
  const driver: MongoClient = new mongoose.mongo.MongoClient(ctx.engines.mongoBase, { retryWrites: false });
  await driver.connect();
  const raw = driver.db(db).collection('postings');
  const viaService = async (q: Query) => {
    const res = await request('GET', `${listings.url}/v1/postings?${new URLSearchParams(q.params).toString()}`, undefined, {}, 600_000);
    if (res.status !== 200) throw new Error(`search: HTTP ${res.status} ${res.body.slice(0, 120)}`);
    return 1;
  };
  const viaEngine = async (q: Query) => {
    await os.call('POST', `/${index.alias}/_search`, searchBody(q.request));
    return 1;
  };
  const viaDriver = async (q: Query) => {
    await raw.find(searchFilter(q.query) as unknown as mongoose.mongo.Filter<mongoose.mongo.Document>, { projection: PROJECTION }).sort(sortOf(q.query.sort)).limit(q.query.limit + 1).toArray();
    return 1;
  };

  try {
    // What the database does with the search: FerretDB's explain says whether filter, sort and limit reach SQLite.
    const recent = mix[0].query;
    const explained: Record<string, unknown> | undefined = await ctx.mongo
      .db(db)
      .command({ explain: { find: 'postings', filter: searchFilter(recent), sort: sortOf(recent.sort), limit: recent.limit + 1 } })
      .catch(() => undefined);
    if (explained && 'filterPushdown' in explained) {
      ctx.notes.push(
        `search: FerretDB explain of the newest-first page: plan ${JSON.stringify((explained.queryPlanner as { Plan?: unknown } | undefined)?.Plan ?? '?')}, ` +
          `filterPushdown ${String(explained.filterPushdown)}, sortPushdown ${String(explained.sortPushdown)}, limitPushdown ${String(explained.limitPushdown)}: ` +
          'every search reads and sorts the whole collection in FerretDB, whatever the indexes',
      );
    }
    // 50 clients, each making `requestsPerClient` requests back to back; service and driver interleaved by round.
    const svc: number[] = [];
    const base: number[] = [];
    const wall = { svc: 0, base: 0 };
    let errors = '';
    const clients = async (via: (q: Query) => Promise<number>, into: number[]) => {
      const started = now();
      let failed = 0;
      let first = '';
      await Promise.all(
        Array.from({ length: plan.clients }, async (_, lane) => {
          for (let i = 0; i < plan.requestsPerClient; i++) {
            const t = now();
            try {
              await via(mix[(lane * 7 + i) % mix.length]);
              into.push(now() - t);
            } catch (err) {
              failed++;
              first ||= err instanceof Error ? err.message : String(err);
            }
          }
        }),
      );
      if (failed > 0) errors += `; ${failed} failed (${first})`;
      return (now() - started) / 1000;
    };
    for (let round = 0; round < ctx.options.plan.rounds; round++) {
      log(`search: round ${round + 1}: ${plan.clients} clients × ${plan.requestsPerClient} requests over ${fmtInt(plan.corpus)} postings`);
      wall.svc += await clients(viaService, svc);
      wall.base += await clients(viaEngine, base);
    }
    const p99 = percentile(svc, 99);
    const met = p99 < 50;
    const pair = (v: number[]) => `${fmtMs(percentile(v, 50))} / ${fmtMs(p99Of(v))}`;
    ctx.rows.push({
      section: 'search',
      measure: `GET /v1/postings p50 / p99, ${plan.clients} clients, ${fmtInt(plan.corpus)} postings (${svc.length} / ${base.length} requests)`,
      unit: 'ms',
      jobstream: p99,
      baseline: percentile(base, 99),
      display: { jobstream: pair(svc), baseline: pair(base) },
      target: 'p99 < 50 ms (at 100,000 postings)',
      met,
      margin: met ? `${fmtMs(50 - p99)} spare` : `${fmtMs(p99 - 50)} over`,
      samples: { jobstream: svc, baseline: base },
      note: `baseline: OpenSearch's own _search with the same queries; throughput ${(svc.length / wall.svc).toFixed(1)} vs ${(base.length / wall.base).toFixed(1)} queries/s (${((100 * svc.length * wall.base) / (base.length * wall.svc)).toFixed(0)} %; goal ≥ 80 %)${errors}`,
    });
    log(`search: p99 ${fmtMs(p99)} vs OpenSearch _search ${fmtMs(percentile(base, 99))}`);

    // One client: how a single query's latency grows with the corpus.
    for (const step of plan.ladder) {
      await load(step.size);
      const s: number[] = [];
      const b: number[] = [];
      const f: number[] = [];
      log(`search: one client over ${fmtInt(step.size)} postings, ${step.queries} queries each way`);
      for (let i = 0; i < step.queries; i++) {
        const q = mix[(i * 5) % mix.length];
        let t = now();
        await viaService(q);
        s.push(now() - t);
        t = now();
        await viaEngine(q);
        b.push(now() - t);
        // The previous path, for comparison: a few queries only, since FerretDB scans the whole corpus each time.
        if (i < Math.min(step.queries, 5)) {
          t = now();
          await viaDriver(q);
          f.push(now() - t);
        }
      }
      ctx.rows.push({
        section: 'search',
        measure: `one client, ${fmtInt(step.size)} postings: median / max of ${step.queries} queries`,
        unit: 'ms',
        jobstream: median(s),
        baseline: median(b),
        display: { jobstream: `${fmtMs(median(s))} / ${fmtMs(max(s))}`, baseline: `${fmtMs(median(b))} / ${fmtMs(max(b))}` },
        samples: { jobstream: s, baseline: b },
        note: `baseline: OpenSearch's own _search; the previous FerretDB path: median ${fmtMs(median(f))} of ${f.length}`,
      });
    }
  } finally {
    await os.close();
    await driver.close();
    await ctx.fleet.stop(listings);
  }
}

const p99Of = (v: number[]) => percentile(v, 99);
