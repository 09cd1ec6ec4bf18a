import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { Kafka, logLevel } from 'kafkajs';
import { createEvent } from '@jobstream/contracts';
import { asOperator, eventually, groupPinned, startIngest, startListings, startNotifier, syncListings, waitReady } from '../support/apps';
import { engines, enginesScript, runId } from '../support/engines';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Posts companies from `workers` concurrent clients until `stop()`; records what was acknowledged. */
function companyLoad(ingest: INestApplication, prefix: string, workers = 4) {
  const acknowledged: string[] = [];
  const outcomes = { sent: 0, unavailable: 0, fivexx: 0, other: 0 };
  let running = true;
  let n = 0;
  const loops = Array.from({ length: workers }, async () => {
    while (running) {
      const companyId = `${prefix}-${n++}`;
      const res = await request(ingest.getHttpServer()).post('/v1/companies').set(asOperator).send({ companyId, name: `Load ${companyId}` }).catch(() => undefined);
      outcomes.sent++;
      if (res?.status === 202) acknowledged.push(companyId);
      else if (res?.status === 503) {
        outcomes.unavailable++; // not acknowledged, and said so
        await sleep(100); // a client backing off, as Retry-After asks
      } else if (!res || res.status >= 500) outcomes.fivexx++;
      else outcomes.other++;
    }
  });
  return {
    acknowledged,
    outcomes,
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}

/** Every acknowledged company readable on listings: none lost. */
async function allProjected(listings: INestApplication, ids: readonly string[], timeoutMs = 180_000): Promise<number> {
  const missing = new Set(ids);
  await eventually(async () => {
    for (const id of [...missing]) if ((await request(listings.getHttpServer()).get(`/v1/companies/${id}`)).status === 200) missing.delete(id);
    return missing.size === 0 ? true : undefined;
  }, timeoutMs, 1000).catch(() => undefined);
  return missing.size;
}

/** An outcome whose only email goes to the candidate (no recipients to project first). */
function rejection(id: string, email: string) {
  return createEvent('application.rejected', {
    applicationId: `app-${runId}-${id}`,
    candidateId: `cand-${runId}-${id}`,
    postingId: `posting-${runId}`,
    postingTitle: 'Engine restarts',
    applicant: { name: `Candidate ${id}`, email, resumeUrl: 'https://cv.example/x.pdf' },
    decidedAt: new Date().toISOString(),
    reason: 'POSTING_CLOSED',
  }, 'fault');
}

/** Addresses among `wanted` that the SMTP sink received mail for, one entry per email. */
async function delivered(wanted: readonly string[]): Promise<string[]> {
  const res = await fetch(`${engines.smtpApi}/email`).catch(() => undefined);
  if (!res?.ok) return [];
  const all = (await res.json()) as { to: { address: string }[] }[];
  const set = new Set(wanted);
  return all.flatMap((m) => m.to.map((t) => t.address)).filter((a) => set.has(a));
}

function tally(wanted: readonly string[], got: readonly string[]): { lost: number; twice: number; count: number } {
  const perAddress = new Map<string, number>();
  for (const a of got) perAddress.set(a, (perAddress.get(a) ?? 0) + 1);
  return { lost: wanted.filter((a) => !perAddress.has(a)).length, twice: [...perAddress.values()].filter((n) => n > 1).length, count: got.length };
}

describe('engine restarts under load', () => {
  let ingest: INestApplication;
  let listings: INestApplication;

  beforeAll(async () => {
    if (engines.external) throw new Error('fault tests stop and start engines: run them against scripts/engines.sh');
    ingest = await startIngest({ KAFKA_HEALTH_INTERVAL_MS: '1000', KAFKA_SEND_TIMEOUT_MS: '3000' });
    ({ app: listings } = await startListings('restarts', { CONSUMER_FROM_BEGINNING: 'latest' }));
    await Promise.all([waitReady(ingest), waitReady(listings)]);
    await syncListings(ingest, listings);
  }, 120_000);

  afterAll(async () => {
    enginesScript('start');
    await listings?.close();
    await ingest?.close();
  }, 120_000);

  it('Kafka restarted during an ingest load: every acknowledged write arrives, the rest got 5xx', async () => {
    const load = companyLoad(ingest, `kafka-restart-${runId}`);
    await sleep(3000);
    enginesScript('stop', 'kafka');
    await sleep(3000);
    enginesScript('start', 'kafka');
    await waitReady(ingest, 60_000);
    await sleep(3000);
    await load.stop();
    const lost = await allProjected(listings, load.acknowledged);
    process.stdout.write(
      `fault kafka-restart: 1 broker restart under load; requests ${load.outcomes.sent}, acknowledged ${load.acknowledged.length}, 503 ${load.outcomes.unavailable}, other 5xx ${load.outcomes.fivexx}, other ${load.outcomes.other}, events lost: ${lost}\n`,
    );
    expect(load.outcomes.unavailable).toBeGreaterThan(0); // the outage was real and answered honestly
    expect(load.outcomes.fivexx + load.outcomes.other).toBe(0);
    expect(lost).toBe(0);
  }, 300_000);

  it('FerretDB restarted while listings projects: the projection catches up with nothing lost', async () => {
    const load = companyLoad(ingest, `ferret-restart-${runId}`);
    await sleep(3000);
    enginesScript('stop', 'ferretdb');
    await sleep(5000);
    enginesScript('start', 'ferretdb');
    await sleep(3000);
    await load.stop();
    const lost = await allProjected(listings, load.acknowledged);
    process.stdout.write(
      `fault ferretdb-restart: 1 database restart during projection; requests ${load.outcomes.sent}, acknowledged ${load.acknowledged.length}, 503 ${load.outcomes.unavailable}, other 5xx ${load.outcomes.fivexx}, events lost: ${lost}\n`,
    );
    // Ingest doesn't need the database for companies; a 503 can only be a slow broker acknowledgement.
    expect(load.outcomes.fivexx + load.outcomes.other).toBe(0);
    expect(lost).toBe(0);
    await waitReady(listings, 60_000);
  }, 300_000);

  it('SMTP sink down for 30 s: the emails wait, then arrive, none lost and none twice', async () => {
    const { app: notifier, groupId } = await startNotifier('smtp-down', { CONSUMER_FROM_BEGINNING: 'latest', NOTIFIER_BACKOFF_MAX_MS: '8000' });
    const kafka = new Kafka({ clientId: 'fault-smtp', brokers: [engines.kafkaBrokers], sasl: engines.kafkaSasl, logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    try {
      await groupPinned(groupId, ['application-outcomes']);
      await producer.connect();
      enginesScript('stop', 'smtp');
      const downAt = Date.now();
      const addresses = Array.from({ length: 20 }, (_, i) => `smtp-down-${runId}-${i}@candidates.test`);
      const events = addresses.map((email, i) => rejection(`smtp-${i}`, email));
      await producer.send({ topic: 'application-outcomes', acks: -1, messages: events.map((e) => ({ key: e.key, value: JSON.stringify(e) })) });
      await sleep(Math.max(0, 30_000 - (Date.now() - downAt)));
      enginesScript('start', 'smtp');
      const upAt = Date.now();
      await eventually(async () => ((await delivered(addresses)).length >= addresses.length ? true : undefined), 120_000, 1000).catch(() => undefined);
      const deliveredAfter = (Date.now() - upAt) / 1000;
      await sleep(5000); // anything sent twice would show up now
      const { lost, twice, count } = tally(addresses, await delivered(addresses));
      process.stdout.write(`fault smtp-down: SMTP sink down 30 s; emails expected ${addresses.length}, delivered ${count} (all within ${deliveredAfter.toFixed(0)} s of the restart), lost: ${lost}, sent twice: ${twice}\n`);
      expect({ lost, twice }).toEqual({ lost: 0, twice: 0 });
    } finally {
      enginesScript('start', 'smtp');
      await producer.disconnect();
      await notifier.close();
    }
  }, 400_000);

  it('Redis restarted while the notifier sends: every email arrives exactly once', async () => {
    const { app: notifier, groupId } = await startNotifier('redis-restart', { CONSUMER_FROM_BEGINNING: 'latest', NOTIFIER_RATE_MAX: '20', NOTIFIER_RATE_WINDOW_MS: '1000' });
    const kafka = new Kafka({ clientId: 'fault-redis', brokers: [engines.kafkaBrokers], sasl: engines.kafkaSasl, logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    try {
      await waitReady(notifier, 60_000);
      await groupPinned(groupId, ['application-outcomes']);
      await producer.connect();
      const addresses = Array.from({ length: 60 }, (_, i) => `redis-restart-${runId}-${i}@candidates.test`);
      const events = addresses.map((email, i) => rejection(`redis-${i}`, email));
      await producer.send({ topic: 'application-outcomes', acks: -1, messages: events.map((e) => ({ key: e.key, value: JSON.stringify(e) })) });
      await eventually(async () => ((await delivered(addresses)).length >= 5 ? true : undefined), 60_000, 200);
      enginesScript('stop', 'redis');
      await sleep(3000);
      enginesScript('start', 'redis');
      await eventually(async () => ((await delivered(addresses)).length >= addresses.length ? true : undefined), 180_000, 1000).catch(() => undefined);
      await sleep(5000); // anything sent twice would show up now
      const { lost, twice, count } = tally(addresses, await delivered(addresses));
      process.stdout.write(`fault redis-restart: 1 Redis restart mid-queue; emails expected ${addresses.length}, delivered ${count}, lost: ${lost}, sent twice: ${twice}\n`);
      expect({ lost, twice }).toEqual({ lost: 0, twice: 0 });
    } finally {
      await producer.disconnect();
      await notifier.close();
    }
  }, 400_000);
});
