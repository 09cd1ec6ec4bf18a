import type { INestApplication } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import { Kafka, logLevel } from 'kafkajs';
import type { Connection } from 'mongoose';
import request from 'supertest';
import { createEvent } from '@jobstream/contracts';
import { asOperator, eventually, startIngest, startListings, syncListings, waitReady } from './support/apps';
import { engines, runId } from './support/engines';

/**
 * The read model is a pure function of the topics: a listings started on a fresh database and a
 * new group replays every topic from the beginning into documents identical to the live ones, and
 * answers the read API identically. The history has what makes ordering and idempotency matter:
 * ATS retries, revisions (some twice), closes, drafts published later, a company renamed after its
 * postings exist, analytics snapshots out of order, and redelivered events.
 *
 * The topics are shared by every e2e file, so the replay also reads whatever ran before it:
 * test/e2e.sequencer.js runs this file first.
 */
describe('listings replay', () => {
  let ingest: INestApplication;
  let listings: INestApplication;
  const kafka = new Kafka({ clientId: 'e2e-replay', brokers: [engines.kafkaBrokers], sasl: engines.kafkaSasl, logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  const companies = [`replay-a-${runId}`, `replay-b-${runId}`];
  const ids: string[] = [];
  // Every 11th posting is closed (drafts that stay drafts are left open).
  const closedIndexes = Array.from({ length: 300 }, (_, i) => i).filter((i) => i % 11 === 1 && !(i % 10 === 9 && (i - 9) % 30 !== 0));
  const write = () => request(ingest.getHttpServer());

  beforeAll(async () => {
    await producer.connect();
    ingest = await startIngest();
    ({ app: listings } = await startListings('replay-live', { CONSUMER_FROM_BEGINNING: 'latest' }));
    await Promise.all([waitReady(ingest), waitReady(listings)]);
    await syncListings(ingest, listings);

    for (const c of companies) await write().post('/v1/companies').set(asOperator).send({ companyId: c, name: `Replay ${c}`, stage: 'Series A' }).expect(202);
    const postings = Array.from({ length: 300 }, (_, i) => ({
      companyId: companies[i % 2],
      externalId: `r-${i}`,
      title: `Replay engineer ${i}`,
      location: i % 3 === 0 ? 'Tokyo' : 'Seoul',
      workplaceType: i % 4 === 0 ? 'remote' : 'hybrid',
      employmentType: 'full-time',
      description: `Replayed posting ${i}`,
      requiredSkills: ['TypeScript', i % 2 === 0 ? 'Kafka' : 'MongoDB'],
      ...(i % 10 === 9 ? { status: 'draft' } : {}),
    }));
    const first = await write().post('/v1/postings/batch').set(asOperator).send({ postings }).expect(200);
    const created = (first.body as { results: { postingId: string; statusCode: number }[] }).results;
    expect(created.filter((r) => r.statusCode !== 202)).toEqual([]);
    ids.push(...created.map((r) => r.postingId));
    // An ATS retrying the whole feed gets the same ids back and writes nothing new.
    const retry = await write().post('/v1/postings/batch').set(asOperator).send({ postings }).expect(200);
    const repeated = (retry.body as { results: { postingId: string; statusCode: number }[] }).results;
    expect(repeated.map((r) => [r.postingId, r.statusCode])).toEqual(ids.map((id) => [id, 200]));

    for (let i = 0; i < 300; i += 7) await write().patch(`/v1/postings/${ids[i]}`).set(asOperator).send({ title: `Revised engineer ${i}` }).expect(202);
    for (let i = 0; i < 300; i += 21) await write().patch(`/v1/postings/${ids[i]}`).set(asOperator).send({ location: 'Busan', title: `Twice revised ${i}` }).expect(202);
    for (let i = 9; i < 300; i += 30) await write().post(`/v1/postings/${ids[i]}/publish`).set(asOperator).expect(202);
    for (const i of closedIndexes) await write().post(`/v1/postings/${ids[i]}/close`).set(asOperator).expect(202);
    await write().post('/v1/companies').set(asOperator).send({ companyId: companies[0], name: 'Replay renamed', stage: 'Series B' }).expect(202);

    // Analytics snapshots: the newest of each posting wins whatever order they arrive in; every
    // message is also delivered twice, as after a producer retry.
    const at = (s: number) => new Date(Date.UTC(2026, 10, 1, 0, 0, s)).toISOString();
    const snapshot = (i: number, views: number, s: number) =>
      createEvent('posting-stats.updated', { postingId: ids[i], companyId: companies[i % 2], totalViews: views, uniqueViewers: views, applyClicks: 1, scraps: 0, mockApplicants: 0, trendingScore: views / 10, daily: [], updatedAt: at(s) }, 'e2e');
    const snapshots = [];
    for (let i = 0; i < 300; i += 5) snapshots.push(snapshot(i, 50 + i, 20), snapshot(i, 10 + i, 10));
    await producer.send({ topic: 'posting-stats', acks: -1, messages: [...snapshots, ...snapshots].map((e) => ({ key: e.key, value: JSON.stringify(e) })) });
  }, 300_000);

  afterAll(async () => {
    await listings?.close();
    await ingest?.close();
    await producer.disconnect();
  });

  const dump = async (app: INestApplication) => {
    const conn = app.get<Connection>(getConnectionToken());
    const postings = await conn.db!.collection('postings').find({ companyId: { $in: companies } }).sort({ _id: 1 }).toArray();
    const stored = await conn.db!.collection('companies').find({ _id: { $in: companies } as never }).sort({ _id: 1 }).toArray();
    return { postings, companies: stored };
  };
  type Dump = Awaited<ReturnType<typeof dump>>;
  // Field order is not part of the model (a replay may learn a company's name after its postings).
  const canonical = (value: unknown): string =>
    JSON.stringify(value, (_key, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v));
  // The store of record: every posting's last revision and the renamed company. (Counters and
  // company names are the search index's, checked through the API below.)
  const settled = (d: Dump) =>
    d.postings.length === 300 &&
    d.postings.filter((p) => (p.snapshot as { status?: string } | undefined)?.status === 'closed').length === closedIndexes.length &&
    d.companies.find((c) => (c._id as unknown as string) === companies[0])?.name === 'Replay renamed';

  it('rebuilds an identical read model when the topics are replayed into a fresh database', async () => {
    const live = await eventually(async () => {
      const d = await dump(listings);
      return settled(d) ? d : undefined;
    }, 180_000, 1000);
    // The live model holds what the history says, so "identical" below compares something real.
    const byId = new Map(live.postings.map((p) => [p._id as unknown as string, p]));
    expect((byId.get(ids[21])!.snapshot as { title: string; location: string }).title).toBe('Twice revised 21');
    expect((byId.get(ids[21])!.snapshot as { location: string }).location).toBe('Busan');
    expect((byId.get(ids[19])!.snapshot as { status: string }).status).toBe('draft');
    expect((byId.get(ids[39])!.snapshot as { status: string }).status).toBe('published');
    // The search index (search, pages) holds the newest counters and the new company name.
    const pageOf = async (app: INestApplication, id: string) => (await request(app.getHttpServer()).get(`/v1/postings/${id}`)).body as { counters?: { totalViews: number }; company?: { name: string } };
    await eventually(async () => {
      const [p10, p0] = await Promise.all([pageOf(listings, ids[10]), pageOf(listings, ids[0])]);
      return p10.counters?.totalViews === 60 && p0.company?.name === 'Replay renamed' ? true : undefined;
    }, 180_000, 1000);

    const started = Date.now();
    const replay = await startListings('replay', { CONSUMER_PARTITIONS_CONCURRENCY: '1' });
    try {
      await waitReady(replay.app);
      const rebuilt = await eventually(async () => {
        const d = await dump(replay.app);
        return canonical(d) === canonical(live) ? d : undefined;
      }, 900_000, 2000);
      expect(rebuilt).toEqual(live);
      process.stdout.write(`replay: ${live.postings.length} postings and ${live.companies.length} companies rebuilt identical in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);

      // And the read API answers the same from both.
      const read = (app: INestApplication, path: string, query: Record<string, string> = {}) => request(app.getHttpServer()).get(path).query(query).expect(200);
      const queries: Record<string, string>[] = [{ companyId: companies[0], limit: '100' }, { q: 'revised', companyId: companies[0], limit: '50' }, { q: 'renamed engineer', companyId: companies[0], limit: '50' }, { location: 'Busan', companyId: companies[1] }];
      // A relevance cursor carries the engine's score and a point-in-time id, both particular to an
      // index (BM25 statistics count deleted documents until segments merge): compare where it leads.
      const page = (body: { nextCursor?: string }) => ({ ...body, nextCursor: body.nextCursor === undefined ? undefined : 'present' });
      // The replay's search projection is a group of its own: wait until it answers as the live one.
      const answers = async (app: INestApplication) => ({
        searches: await Promise.all(queries.map(async (query) => page((await read(app, '/v1/postings', query)).body as { nextCursor?: string }))),
        pages: await Promise.all([ids[0], ids[1], ids[10], ids[21], ids[39]].map(async (id) => (await read(app, `/v1/postings/${id}`)).body as unknown)),
        company: (await read(app, `/v1/companies/${companies[0]}`)).body as unknown,
      });
      const expected = await answers(listings);
      await eventually(async () => (canonical(await answers(replay.app)) === canonical(expected) ? true : undefined), 300_000, 2000).catch(() => undefined);
      expect(await answers(replay.app)).toEqual(expected);
    } finally {
      await replay.app.close();
    }
  }, 1_200_000);
});
