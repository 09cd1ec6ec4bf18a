import type { INestApplication } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import request from 'supertest';
import { Kafka, logLevel } from 'kafkajs';
import { v7 as uuidv7 } from 'uuid';
import { createEvent, dlqTopic } from '@jobstream/contracts';
import { syncListings, asOperator, asRecruiter, eventually, startIngest, startListings, testKeys, waitReady } from './support/apps';
import { engines, runId } from './support/engines';
import { referenceCompany as demoReferenceCompany } from '../apps/ops/src/demo/reference-company';

// The reference company of shared/fixtures/reference-posting.json, as the demo data carries it
// (the fixture names the group; the contract gives it a stable id to count application limits by).
const { companyId: _referenceId, ...referenceCompany } = demoReferenceCompany;

describe('company slice: POST /v1/companies → Kafka → listings → GET /v1/companies/:id', () => {
  let ingest: INestApplication;
  let listings: INestApplication;
  let groupId: string;
  const kafka = new Kafka({ clientId: 'e2e', brokers: [engines.kafkaBrokers], sasl: engines.kafkaSasl, logLevel: logLevel.NOTHING });
  const producer = kafka.producer();

  beforeAll(async () => {
    ingest = await startIngest();
    ({ app: listings, groupId } = await startListings('slice', { CONSUMER_FROM_BEGINNING: 'latest' }));
    await producer.connect();
    await Promise.all([waitReady(ingest), waitReady(listings)]);
    await syncListings(ingest, listings);
  });

  afterAll(async () => {
    await producer.disconnect();
    await listings?.close();
    await ingest?.close();
  });

  const getCompany = (id: string) => request(listings.getHttpServer()).get(`/v1/companies/${id}`);
  // Generous: on a shared 2-core CI machine a consumer group can sit in a rebalance for a while.
  const projected = (id: string, check: (body: Record<string, unknown>) => boolean = () => true) =>
    eventually(async () => {
      const res = await getCompany(id);
      return res.status === 200 && check(res.body as Record<string, unknown>) ? (res.body as Record<string, unknown>) : undefined;
    }, 90_000);

  it('reports the real engines it runs against', async () => {
    const conn = listings.get<Connection>(getConnectionToken());
    const info = (await conn.db!.admin().buildInfo()) as Record<string, unknown>;
    const ready = await request(listings.getHttpServer()).get('/health/ready').expect(200);
    process.stdout.write(`listings ready: ${JSON.stringify(ready.body.details)}\nMongoDB wire server buildInfo: version=${String(info.version)} ferretdb=${JSON.stringify(info.ferretdb ?? info.ferretdbVersion ?? null)}\n`);
    expect(ready.body.details.kafka.status).toBe('up');
    expect(ready.body.details.mongodb.status).toBe('up');
  });

  it('projects a posted company and serves it', async () => {
    const companyId = `tiktok-${runId}`;
    const res = await request(ingest.getHttpServer()).post('/v1/companies').set(asOperator).send({ companyId, ...referenceCompany }).expect(202);
    expect(res.body).toEqual({ eventId: expect.stringMatching(/^[0-9a-f-]{36}$/), companyId });
    const body = await projected(companyId);
    expect(body).toMatchObject({ companyId, ...referenceCompany });
    expect(body).not.toHaveProperty('lastEventId');
    expect(body).not.toHaveProperty('_id');
  });

  it('generates an id when none is given, and a repeat post updates the same company', async () => {
    const first = await request(ingest.getHttpServer()).post('/v1/companies').set(asOperator).send({ name: 'Acme', stage: 'Seed' }).expect(202);
    const { companyId } = first.body as { companyId: string };
    await projected(companyId);
    await request(ingest.getHttpServer()).post('/v1/companies').set(asOperator).send({ companyId, name: 'Acme Corp' }).expect(202);
    const body = await projected(companyId, (b) => b.name === 'Acme Corp');
    expect(body).not.toHaveProperty('stage'); // a full profile: omitted fields are cleared
  });

  it('answers 400 naming every offending field, and publishes nothing', async () => {
    const companyId = `bad-${runId}`;
    const res = await request(ingest.getHttpServer())
      .post('/v1/companies').set(asOperator)
      .send({ companyId, valuationUsd: 'lots', shoeSize: 44, applicationPolicy: { maxApplicationsPerCandidate: 0, scope: 'galaxy', consideredInOrderApplied: true } })
      .expect(400);
    const paths = (res.body.issues as { path: string }[]).map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['/name', '/valuationUsd', '/shoeSize', '/applicationPolicy/maxApplicationsPerCandidate', '/applicationPolicy/scope']));
    expect(res.body.message).toContain('/shoeSize is not an allowed field');
    await request(ingest.getHttpServer()).post('/v1/companies').set(asOperator).send({ companyId, name: 'Real' }).expect(202);
    await projected(companyId, (b) => b.name === 'Real'); // the bad request left no trace before it
  });

  it('needs an API key, and keeps recruiters to their own companies', async () => {
    const [own, other] = [testKeys.recruiterCompanies[0], `someone-else-${runId}`];
    await request(ingest.getHttpServer()).post('/v1/companies').send({ companyId: own, name: 'x' }).expect(401);
    await request(ingest.getHttpServer()).post('/v1/companies').set({ Authorization: 'Bearer wrong' }).send({ companyId: own, name: 'x' }).expect(401);
    const denied = await request(ingest.getHttpServer()).post('/v1/companies').set(asRecruiter).send({ companyId: other, name: 'Hijacked' }).expect(403);
    expect(denied.body.message).toContain(other);
    await request(ingest.getHttpServer()).post('/v1/companies').set(asRecruiter).send({ name: 'No id' }).expect(400);
    await request(ingest.getHttpServer()).post('/v1/companies').set(asRecruiter).send({ companyId: own, name: 'Mine' }).expect(202);
    await projected(own, (b) => b.name === 'Mine');
    await getCompany(other).expect(404);
  });

  it('answers 400 for malformed JSON, 413 for an oversize body, 404 for an unknown company', async () => {
    const bad = await request(ingest.getHttpServer()).post('/v1/companies').set(asOperator).set('content-type', 'application/json').send('{"name": ').expect(400);
    expect(bad.body.message).toMatch(/not valid JSON/);
    const huge = await request(ingest.getHttpServer()).post('/v1/companies').set(asOperator).send({ name: 'x'.repeat(2 * 1024 * 1024) }).expect(413);
    expect(huge.body.message).toMatch(/larger than the limit/);
    await getCompany(`nobody-${runId}`).expect(404);
    const badId = await getCompany('$where').expect(400);
    expect(badId.body.message).toContain('company id');
  });

  it('ignores stale and replayed events (newest event id wins)', async () => {
    const companyId = `order-${runId}`;
    const older = createEvent('company.upserted', { companyId, name: 'Old name' }, 'e2e', { id: uuidv7() });
    const newer = createEvent('company.upserted', { companyId, name: 'New name' }, 'e2e', { id: uuidv7() });
    const send = (e: typeof older) => producer.send({ topic: 'companies', acks: -1, messages: [{ key: e.key, value: JSON.stringify(e) }] });
    await send(newer);
    await projected(companyId, (b) => b.name === 'New name');
    await send(older); // stale: arrives late
    await send(newer); // replayed
    const marker = `marker-${runId}`;
    await send(createEvent('company.upserted', { companyId: marker, name: 'm' }, 'e2e'));
    await projected(marker);
    expect((await getCompany(companyId).expect(200)).body.name).toBe('New name');
  });

  it('dead-letters malformed events on `companies` with the error and origin, and keeps consuming', async () => {
    const badKey = `poison-${runId}`;
    await producer.send({
      topic: 'companies',
      acks: -1,
      messages: [
        { key: badKey, value: '{this is not json' },
        { key: badKey, value: JSON.stringify({ ...createEvent('company.upserted', { companyId: badKey, name: 'x' }, 'e2e'), data: { companyId: badKey } }) },
      ],
    });
    const afterId = `after-poison-${runId}`;
    await request(ingest.getHttpServer()).post('/v1/companies').set(asOperator).send({ companyId: afterId, name: 'Still flowing' }).expect(202);
    await projected(afterId);
    await getCompany(badKey).expect(404);

    const letters: { value: string; headers: Record<string, string> }[] = [];
    const reader = kafka.consumer({ groupId: `dlq-reader-${runId}` });
    await reader.connect();
    await reader.subscribe({ topic: dlqTopic(groupId), fromBeginning: true });
    await reader.run({
      eachMessage: async ({ message }) => {
        if (message.key?.toString() !== badKey) return;
        const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
        letters.push({ value: message.value?.toString() ?? '', headers });
      },
    });
    try {
      await eventually(async () => (letters.length >= 2 ? true : undefined));
    } finally {
      await reader.disconnect();
    }
    expect(letters[0].value).toBe('{this is not json');
    expect(letters[0].headers).toMatchObject({ 'dlq-origin-topic': 'companies', 'dlq-consumer-group': groupId, 'dlq-error': expect.stringContaining('not JSON') });
    expect(Number(letters[0].headers['dlq-origin-offset'])).toBeGreaterThanOrEqual(0);
    expect(letters[0].headers['dlq-origin-partition']).toMatch(/^\d+$/);
    expect(letters[1].headers['dlq-error']).toContain('/data/name is required');
  });

  it('serves OpenAPI documents generated from the validating schemas', async () => {
    const { CreatePostingInput } = await import('../apps/ingest/src/postings/posting.input.schema');
    const ingestDoc = (await request(ingest.getHttpServer()).get('/docs-json').expect(200)).body;
    expect(ingestDoc.openapi).toBe('3.1.0');
    const create = ingestDoc.paths['/v1/postings'].post;
    expect(create.requestBody.content['application/json'].schema.properties.externalId).toEqual(JSON.parse(JSON.stringify(CreatePostingInput.properties.externalId)));
    expect(create.responses).toHaveProperty('409');
    // Every error answer is the one shared problem+json schema; a body can be undecodable (400) or
    // in an unsupported encoding (415), and any path can meet a wrong method (405 with Allow).
    expect(ingestDoc.components.schemas.Problem.required).toEqual(['type', 'title', 'status', 'detail', 'instance', 'statusCode', 'error', 'message']);
    for (const code of ['400', '405', '409', '415']) expect([code, create.responses[code].content]).toEqual([code, { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } }]);
    expect(create.responses['405'].headers).toHaveProperty('Allow');
    expect(Object.keys(ingestDoc.paths)).toEqual(expect.arrayContaining(['/v1/companies', '/v1/postings/batch', '/v1/postings/{id}', '/v1/postings/{id}/applications', '/v1/companies/{id}/reviews']));
    const listingsDoc = (await request(listings.getHttpServer()).get('/docs-json').expect(200)).body;
    expect(Object.keys(listingsDoc.paths['/v1/postings'].get.responses).sort()).toEqual(['200', '400', '405', '429']);
    expect(listingsDoc.paths['/v1/postings'].get.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['q', 'location', 'skills', 'sort', 'limit', 'cursor']));
    const ui = await request(listings.getHttpServer()).get('/docs/').expect(200);
    expect(ui.text).toContain('swagger');
  });

  it('joins Kafka with exactly the configured consumer group id, and its named consumers as <group>-<name>', async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const { groups } = await admin.listGroups();
      const ids = groups.map((g) => g.groupId);
      expect(ids).toContain(groupId);
      // The group as configured, and beside it only its documented named groups: decisions
      // (<group>-applications) and the search projection (<group>-search-<SEARCH_BUILD>, and its
      // counters in <group>-search-stats-<SEARCH_BUILD>).
      expect(ids.filter((id) => id.startsWith(groupId)).sort()).toEqual([groupId, `${groupId}-applications`, `${groupId}-search-stats-v2`, `${groupId}-search-v2`]);
      const offsets = await admin.fetchOffsets({ groupId, topics: ['companies'] });
      expect(offsets[0].partitions.some((p) => Number(p.offset) > 0)).toBe(true);
    } finally {
      await admin.disconnect();
    }
  });
});
