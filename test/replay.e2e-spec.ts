import type { INestApplication } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import request from 'supertest';
import { asOperator, eventually, startIngest, startListings, syncListings, waitReady } from './support/apps';
import { runId } from './support/engines';

/**
 * Replays every topic into a fresh database and compares it with the live read model. Not part of
 * `./jobstream test`: a full replay into FerretDB's SQLite backend has wedged it (connection pool
 * exhausted) once the database passed ~1,500 postings; run it with `npm run test:slow`.
 */
describe('listings replay', () => {
  let ingest: INestApplication;
  let listings: INestApplication;
  const companies = [`replay-a-${runId}`, `replay-b-${runId}`];

  beforeAll(async () => {
    ingest = await startIngest();
    ({ app: listings } = await startListings('replay-live', { CONSUMER_FROM_BEGINNING: 'latest' }));
    await Promise.all([waitReady(ingest), waitReady(listings)]);
    await syncListings(ingest, listings);
    for (const c of companies) await request(ingest.getHttpServer()).post('/v1/companies').set(asOperator).send({ companyId: c, name: `Replay ${c}` }).expect(202);
    const postings = Array.from({ length: 300 }, (_, i) => ({
      companyId: companies[i % 2],
      externalId: `r-${i}`,
      title: `Replay engineer ${i}`,
      location: 'Tokyo',
      workplaceType: 'hybrid',
      employmentType: 'full-time',
      description: 'Replayed',
    }));
    await request(ingest.getHttpServer()).post('/v1/postings/batch').set(asOperator).send({ postings }).expect(200);
    await request(ingest.getHttpServer()).post('/v1/companies').set(asOperator).send({ companyId: companies[0], name: 'Replay renamed' }).expect(202);
  }, 300_000);

  afterAll(async () => {
    await listings?.close();
    await ingest?.close();
  });

  it('rebuilds an identical read model when the topics are replayed into a fresh database', async () => {
    const dump = async (app: INestApplication) => {
      const conn = app.get<Connection>(getConnectionToken());
      const postings = await conn.db!.collection('postings').find({ companyId: { $in: companies } }).sort({ _id: 1 }).toArray();
      const stored = await conn.db!.collection('companies').find({ _id: { $in: companies } as never }).sort({ _id: 1 }).toArray();
      return { postings, companies: stored };
    };
    const live = await eventually(async () => {
      const d = await dump(listings);
      return d.postings.length === 300 && d.postings.every((p) => p.companyName) ? d : undefined;
    }, 120_000, 1000);
    const replay = await startListings('replay', { CONSUMER_PARTITIONS_CONCURRENCY: '1' });
    try {
      await waitReady(replay.app);
      const rebuilt = await eventually(async () => {
        const d = await dump(replay.app);
        return JSON.stringify(d) === JSON.stringify(live) ? d : undefined;
      }, 1_500_000, 2000);
      expect(rebuilt).toEqual(live);
    } finally {
      await replay.app.close();
    }
  }, 1_800_000);
});
