import { Topics, createEvent } from '@jobstream/contracts';
import { commonEnv, operatorKeyEntry, redisPrefix, type BenchContext } from './support/context';
import { request } from './support/http';
import { durableProducer, toMessage } from './support/kafka';
import { closedLoop, throughputRow, type LoopResult } from './support/measure';
import type { ServiceProcess } from './support/services';
import { fmtInt, log, percentile } from './support/util';

/** Starts ingest once per run (the lag phase reuses it). Public routes get a limit no bench reaches. */
export async function ensureIngest(ctx: BenchContext): Promise<ServiceProcess> {
  if (ctx.services.ingest && !ctx.services.ingest.exited) return ctx.services.ingest;
  ctx.services.ingest = await ctx.fleet.start('ingest', {
    ...commonEnv(ctx),
    INGEST_API_KEYS: operatorKeyEntry(),
    INGEST_REGISTRY_PREFIX: `${redisPrefix(ctx, 'registry')}:`,
    INGEST_RATE_LIMIT_KEY_PREFIX: `${redisPrefix(ctx, 'ratelimit')}:`,
    INGEST_PUBLIC_RATE_LIMIT: '1000000000',
  });
  return ctx.services.ingest;
}

type Item = { type: 'view'; postingId: string; viewerId: string };

/**
 * Ingest: engagement events acknowledged per second over HTTP, against a bare kafkajs producer
 * doing the same work without HTTP: the same events (createEvent + JSON, key, headers) with the same
 * durability (idempotent producer, acks=-1, one request in flight, as ingest's publisher), the same
 * concurrency (one `send` per HTTP request), interleaved round by round.
 */
export async function ingestPhase(ctx: BenchContext): Promise<void> {
  const plan = ctx.options.plan.ingest;
  ctx.fleet.phase = 'ingest';
  const ingest = await ensureIngest(ctx);
  const postings = Array.from({ length: 500 }, (_, i) => `bench-${ctx.runId}-ing${i}`);
  const bare = durableProducer(ctx.kafka, 1);
  await bare.connect();
  const posting = (seq: number) => postings[seq % postings.length];
  const warm = plan.warmupSeconds * 1000;
  const dur = plan.seconds * 1000;
  const results: Record<'singleSvc' | 'singleBare' | 'batchSvc' | 'batchBare', LoopResult[]> = { singleSvc: [], singleBare: [], batchSvc: [], batchBare: [] };

  const beacon = (seq: number): Item[] =>
    Array.from({ length: plan.batchSize }, (_, k) => ({ type: 'view', postingId: posting(seq * plan.batchSize + k), viewerId: `iv-${seq}-${k}` }));

  try {
    for (let round = 0; round < ctx.options.plan.rounds; round++) {
      log(`ingest: round ${round + 1}/${ctx.options.plan.rounds}: single-event route, ${plan.singleClients} clients`);
      results.singleSvc.push(
        await closedLoop(plan.singleClients, warm, dur, async (_lane, seq) => {
          const res = await request('POST', `${ingest.url}/v1/postings/${posting(seq)}/views`, { viewerId: `sv-${seq}` });
          if (res.status !== 202) throw new Error(`HTTP ${res.status}: ${res.body.slice(0, 200)}`);
          return 1;
        }),
      );
      results.singleBare.push(
        await closedLoop(plan.singleClients, warm, dur, async (_lane, seq) => {
          const event = createEvent('posting.viewed', { postingId: posting(seq), viewerId: `bv-${seq}` }, 'bench');
          await bare.send({ topic: Topics.engagement, acks: -1, messages: [toMessage(event)] });
          return 1;
        }),
      );
      log(`ingest: round ${round + 1}: batch route, ${plan.batchClients} clients × ${plan.batchSize} events`);
      results.batchSvc.push(
        await closedLoop(plan.batchClients, warm, dur, async (_lane, seq) => {
          const res = await request('POST', `${ingest.url}/v1/engagement/batch`, { events: beacon(seq) });
          if (res.status !== 202) throw new Error(`HTTP ${res.status}: ${res.body.slice(0, 200)}`);
          return (JSON.parse(res.body) as { accepted: number }).accepted;
        }),
      );
      results.batchBare.push(
        await closedLoop(plan.batchClients, warm, dur, async (_lane, seq) => {
          const events = beacon(seq).map((i) => createEvent('posting.viewed', { postingId: i.postingId, viewerId: i.viewerId }, 'bench'));
          await bare.send({ topic: Topics.engagement, acks: -1, messages: events.map(toMessage) });
          return events.length;
        }),
      );
    }
  } finally {
    await bare.disconnect();
  }

  const rates = (r: LoopResult[]) => r.map((x) => x.rate);
  const errors = (r: LoopResult[]) => r.reduce((n, x) => n + x.errors, 0);
  const lat = (r: LoopResult[]) => r.flatMap((x) => x.latencies);
  const describe = (r: LoopResult[]) => {
    const e = errors(r);
    const l = lat(r);
    return `request p50 ${percentile(l, 50).toFixed(1)} ms, p99 ${percentile(l, 99).toFixed(1)} ms${e > 0 ? `, ${e} errors (${r.find((x) => x.firstError)?.firstError ?? ''})` : ''}`;
  };
  ctx.rows.push(
    throughputRow('ingest', `single route POST /v1/postings/:id/views, ${plan.singleClients} clients`, 'events/s', rates(results.singleSvc), rates(results.singleBare), 0.6,
      `jobstream ${describe(results.singleSvc)}; bare send ${describe(results.singleBare)}`),
    throughputRow('ingest', `batch route POST /v1/engagement/batch (${plan.batchSize}/request), ${plan.batchClients} clients`, 'events/s', rates(results.batchSvc), rates(results.batchBare), 0.6,
      `jobstream ${describe(results.batchSvc)}; bare send ${describe(results.batchBare)}`),
  );
  log(`ingest: single ${fmtInt(rates(results.singleSvc)[0])} vs bare ${fmtInt(rates(results.singleBare)[0])} events/s; batch ${fmtInt(rates(results.batchSvc)[0])} vs bare ${fmtInt(rates(results.batchBare)[0])} events/s`);
}
