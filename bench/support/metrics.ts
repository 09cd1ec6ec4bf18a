import { request } from './http';
import { fmtMs } from './util';

/** Cumulative bucket counts of one Prometheus histogram series set (upper bound in s → count), summed over matching series. */
type Buckets = Map<number, number>;

function parseBuckets(text: string, name: string, match: (labels: string) => boolean): Buckets {
  const out: Buckets = new Map();
  const re = new RegExp(`^${name}_bucket\\{([^}]*)\\} (\\S+)$`, 'gm');
  for (const m of text.matchAll(re)) {
    const labels = m[1];
    if (!match(labels)) continue;
    const le = /le="([^"]+)"/.exec(labels)?.[1];
    if (!le) continue;
    const bound = le === '+Inf' ? Infinity : Number(le);
    out.set(bound, (out.get(bound) ?? 0) + Number(m[2]));
  }
  return out;
}

/** A quantile of the observations between two scrapes, as the upper bound of the bucket it falls in. */
function quantile(before: Buckets, after: Buckets, q: number): { count: number; atMost: number } {
  const bounds = [...after.keys()].sort((x, y) => x - y);
  const delta = bounds.map((b) => (after.get(b) ?? 0) - (before.get(b) ?? 0));
  const count = delta[delta.length - 1] ?? 0;
  const target = q * count;
  const i = delta.findIndex((c) => c >= target);
  return { count, atMost: bounds[Math.max(0, i)] ?? Infinity };
}

/** A service's /metrics scraped now and again at `done()`: every figure of the window comes from the same two scrapes. */
interface MetricsWindow {
  /** p50 and p99 of one histogram's observations in the window, summed over the series `match` selects. */
  histogram: (name: string, match: (labels: string) => boolean) => string;
  /** The event-loop lag over the window (prom-client resets its delay histogram at every scrape). */
  eventLoopLag: () => string;
}

async function metricsWindow(baseUrl: string): Promise<{ done: () => Promise<MetricsWindow> }> {
  const scrape = async () => (await request('GET', `${baseUrl}/metrics`, undefined, {}, 10_000)).body;
  const before = await scrape();
  return {
    done: async () => {
      const after = await scrape();
      return {
        histogram: (name, match) => {
          const [b, a] = [parseBuckets(before, name, match), parseBuckets(after, name, match)];
          const p50 = quantile(b, a, 0.5);
          const p99 = quantile(b, a, 0.99);
          const bound = (sec: number) => (Number.isFinite(sec) ? `≤ ${fmtMs(sec * 1000)}` : 'beyond the last bucket');
          return `p50 ${bound(p50.atMost)}, p99 ${bound(p99.atMost)} of ${p50.count} (histogram buckets)`;
        },
        eventLoopLag: () => {
          const lag = /^nodejs_eventloop_lag_p99_seconds (\S+)$/m.exec(after)?.[1];
          const lagMax = /^nodejs_eventloop_lag_max_seconds (\S+)$/m.exec(after)?.[1];
          return lag ? `; its event-loop lag p99 ${fmtMs(Number(lag) * 1000)}${lagMax ? `, max ${fmtMs(Number(lagMax) * 1000)}` : ''} meanwhile` : '';
        },
      };
    },
  };
}

/**
 * What a service itself measured of one route (http_request_duration_seconds), beside what the
 * client saw: that tells time spent in the service from time spent queued in front of it.
 */
const routeFigures = (w: MetricsWindow, route: string) => `${route} as the service measured it: ${w.histogram('http_request_duration_seconds', (labels) => labels.includes(`route="${route}"`))}${w.eventLoopLag()}`;

/** What a consumer group measured of one topic: each event's age from the broker's acceptance to its committed effect, and the time to apply each slice. */
function consumerFigures(w: MetricsWindow, group: string, topic: string): string {
  const match = (labels: string) => labels.includes(`group="${group}"`) && labels.includes(`topic="${topic}"`);
  return `${group} on ${topic}: event age at commit ${w.histogram('jobstream_event_age_seconds', match)}; time to apply a slice ${w.histogram('jobstream_slice_processing_seconds', match)}`;
}

/** One route's figures between now and `done()` (see routeFigures). */
export async function routeLatency(baseUrl: string, route: string): Promise<{ done: () => Promise<string> }> {
  const window = await metricsWindow(baseUrl);
  return { done: async () => routeFigures(await window.done(), route) };
}

/** A route's figures and a consumer group's, from one window of the same service. */
export async function routeAndConsumer(baseUrl: string, route: string, group: string, topic: string): Promise<{ done: () => Promise<string> }> {
  const window = await metricsWindow(baseUrl);
  return {
    done: async () => {
      const w = await window.done();
      return `${routeFigures(w, route)}; ${consumerFigures(w, group, topic)}`;
    },
  };
}

interface NodeIndices {
  refresh: { total: number; total_time_in_millis: number };
  indexing: { index_total: number; index_time_in_millis: number; noop_update_total: number };
  get: { total: number; time_in_millis: number };
  search: { query_total: number; query_time_in_millis: number };
  merges: { total: number; total_time_in_millis: number; total_docs: number };
}

interface NodeStats {
  indices: NodeIndices;
  jvm: { gc: { collectors: Record<string, { collection_count: number; collection_time_in_millis: number }> } };
  thread_pool: Record<string, { completed: number }>;
}

/**
 * What the OpenSearch node did between two readings of its node stats: refreshes (each writes a
 * segment), documents (re)indexed, real-time GETs and queries, with the time it spent on each.
 */
export async function openSearchWork(url: string): Promise<{ done: () => Promise<string> }> {
  const read = async () => {
    const res = await request('GET', `${url}/_nodes/_local/stats/indices,jvm,thread_pool`, undefined, {}, 10_000);
    const nodes = (JSON.parse(res.body) as { nodes: Record<string, NodeStats> }).nodes;
    return Object.values(nodes)[0];
  };
  const a = await read();
  return {
    done: async () => {
      const b = await read();
      const d = (f: (x: NodeIndices) => number) => f(b.indices) - f(a.indices);
      const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
      const gc = (x: NodeStats) => Object.values(x.jvm.gc.collectors).reduce((sum, c) => sum + c.collection_time_in_millis, 0);
      const pool = (x: NodeStats, name: string) => x.thread_pool[name]?.completed ?? 0;
      // Bulk requests: how many slices the writes came in, which decides the per-request costs
      // (a translog fsync each) more than the number of documents does.
      return (
        `${d((x) => x.refresh.total)} refreshes (${s(d((x) => x.refresh.total_time_in_millis))}), ` +
        `${d((x) => x.indexing.index_total)} documents indexed (${s(d((x) => x.indexing.index_time_in_millis))}; ${d((x) => x.indexing.noop_update_total)} updates that changed nothing) in ${pool(b, 'write') - pool(a, 'write')} write requests, ` +
        `${d((x) => x.merges.total)} merges of ${d((x) => x.merges.total_docs)} documents (${s(d((x) => x.merges.total_time_in_millis))}), ` +
        `${d((x) => x.get.total)} GETs (${s(d((x) => x.get.time_in_millis))}), ${d((x) => x.search.query_total)} queries (${s(d((x) => x.search.query_time_in_millis))}), ` +
        `garbage collection ${s(gc(b) - gc(a))}`
      );
    },
  };
}
