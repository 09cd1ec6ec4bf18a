import type { INestApplication } from '@nestjs/common';
import type { Server } from 'node:http';
import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { Kafka, logLevel } from 'kafkajs';
import { TopicCatalog } from '@jobstream/contracts';
import { BAD_IDS, badBodies, expectProblem, rawRequest, type Schema } from './support/bad-input.util';
import { asOperator, startAnalytics, startIngest, startListings, startNotifier, waitReady } from './support/apps';
import { engines, runId } from './support/engines';

interface Operation {
  parameters?: { name: string; in: 'path' | 'query'; schema: Schema }[];
  requestBody?: { content: { 'application/json': { schema: Schema } } };
}
type OpenApi = { paths: Record<string, Record<string, Operation>> };

/**
 * Every endpoint of every service, from its OpenAPI document: bodies, path ids and query strings
 * that must be refused with a 4xx naming the problem, never a 5xx, and with nothing published.
 */
describe('bad input over every endpoint', () => {
  const services: Record<string, INestApplication> = {};
  let notifier: INestApplication;
  const kafka = new Kafka({ clientId: 'e2e-bad-input', brokers: [engines.kafkaBrokers], sasl: engines.kafkaSasl, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const tally = { requests: 0, endpoints: 0, fourxx: 0, fivexx: 0, unnamed: 0 };
  const failures: string[] = [];

  beforeAll(async () => {
    services.ingest = await startIngest({ INGEST_PUBLIC_RATE_LIMIT: '10000000', INGEST_RATE_LIMIT_KEY_PREFIX: `e2e:${runId}:bad:` });
    services.listings = (await startListings('bad-input', { CONSUMER_FROM_BEGINNING: 'latest', SEARCH_RATE_LIMIT: '10000000' })).app;
    services.analytics = (await startAnalytics('bad-input', { CONSUMER_FROM_BEGINNING: 'latest' })).app;
    // The notifier serves no OpenAPI document, so it joins only the protocol-level checks.
    notifier = (await startNotifier('bad-input', { CONSUMER_FROM_BEGINNING: 'latest' })).app;
    await Promise.all([...Object.values(services), notifier].map((app) => waitReady(app)));
    await admin.connect();
  }, 120_000);

  afterAll(async () => {
    await admin.disconnect();
    for (const app of Object.values(services)) await app.close();
    await notifier?.close();
  });

  /** Sum of every catalog topic's end offsets: unchanged means nothing was published. */
  const written = async () => {
    let total = 0n;
    for (const t of TopicCatalog) for (const p of await admin.fetchTopicOffsets(t.name)) total += BigInt(p.high);
    return total;
  };

  const send = async (app: INestApplication, method: string, url: string, what: string, body?: { value: unknown; raw?: boolean; contentType?: string }, names?: string) => {
    let req = request(app.getHttpServer())[method as 'get'](url).set(asOperator);
    if (body) {
      req = req.set('content-type', body.contentType ?? 'application/json');
      req = req.send(body.raw ? (body.value as string) : JSON.stringify(body.value));
    }
    const res = await req;
    tally.requests++;
    const text = JSON.stringify(res.body ?? {});
    if (res.status >= 500) {
      tally.fivexx++;
      failures.push(`${what}: ${res.status} ${text.slice(0, 200)}`);
    } else if (res.status < 400) {
      failures.push(`${what}: accepted with ${res.status}`);
    } else {
      tally.fourxx++;
      const problemFailure = expectProblem(res, url);
      if (problemFailure) failures.push(`${what}: ${problemFailure}`);
      const message = (res.body as { message?: unknown })?.message;
      if (typeof message !== 'string' || message.length === 0 || (names && !text.includes(names))) {
        tally.unnamed++;
        failures.push(`${what}: ${res.status} does not name ${names ?? 'the problem'}: ${text.slice(0, 300)}`);
      }
    }
  };

  it('refuses every bad request with a 4xx naming the problem, and publishes nothing', async () => {
    const before = await written();
    for (const [service, app] of Object.entries(services)) {
      const doc = (await request(app.getHttpServer()).get('/docs-json').expect(200)).body as OpenApi;
      for (const [path, ops] of Object.entries(doc.paths)) {
        for (const [method, op] of Object.entries(ops)) {
          tally.endpoints++;
          const pathParams = (op.parameters ?? []).filter((p) => p.in === 'path');
          const url = (id: string) => pathParams.reduce((u, p) => u.replace(`{${p.name}}`, id), path);
          const where = `${service} ${method.toUpperCase()} ${path}`;
          // Odd ids in the path: refused (400) or not found (404), never a crash.
          for (const id of BAD_IDS) if (pathParams.length > 0) await send(app, method, url(id), `${where} id=${id.slice(0, 20)}`, op.requestBody ? { value: {} } : undefined);
          const okUrl = url(`badinput-${runId}`);
          const schema = op.requestBody?.content['application/json'].schema;
          if (schema) {
            for (const c of badBodies(schema)) await send(app, method, okUrl, `${where} ${c.name}`, { value: c.body, raw: c.raw, contentType: c.contentType }, c.names);
          }
          for (const q of (op.parameters ?? []).filter((p) => p.in === 'query')) {
            await send(app, method, `${okUrl}?${q.name}[$gt]=`, `${where} ?${q.name}[$gt]=`, undefined, q.name);
            await send(app, method, `${okUrl}?${q.name}=${'x'.repeat(10_000)}`, `${where} ?${q.name}=<10,000 chars>`, undefined, q.name);
            await send(app, method, `${okUrl}?${q.name}=%00`, `${where} ?${q.name}=NUL`, undefined, q.name);
          }
          // Routes with a query validate it strictly; the others ignore query strings (tracking tags on links).
          if (op.parameters?.some((p) => p.in === 'query')) await send(app, method, `${okUrl}?injected=1`, `${where} ?unknown parameter`, undefined, 'injected');
        }
      }
    }
    const published = (await written()) - before;
    process.stdout.write(
      `bad-input suite: ${tally.requests} requests over ${tally.endpoints} endpoints; 4xx: ${tally.fourxx}, 5xx: ${tally.fivexx}, without a named problem: ${tally.unnamed}, events written: ${published}\n`,
    );
    expect(failures).toEqual([]);
    expect(tally.fivexx).toBe(0);
    expect(published).toBe(0n);
  }, 600_000);

  /** Every service, the notifier included: the body parser and the error filter are shared. */
  const everyService = () => ({ ...services, notifier });
  const notGzip = Buffer.from('this is not gzip, whatever the header says');
  const latin1 = Buffer.from([0x7b, 0x22, 0x6e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0x5a, 0x6f, 0xeb, 0x22, 0x7d]); // {"name":"Zoë"} in Latin-1

  it('answers a body that does not inflate with a 400 and an unknown Content-Encoding with a 415, on every service, /health/ready included', async () => {
    const before = await written();
    const json = { 'content-type': 'application/json' };
    for (const [service, app] of Object.entries(everyService())) {
      const server = app.getHttpServer() as Server;
      for (const encoding of ['gzip', 'deflate']) {
        const res = await rawRequest(server, 'GET', '/health/ready', { ...json, 'content-encoding': encoding }, notGzip);
        expect([service, encoding, res.status]).toEqual([service, encoding, 400]);
        expect(expectProblem(res, '/health/ready')).toBeUndefined();
        expect(res.body).toMatchObject({ title: 'Bad Request', type: expect.stringContaining('undecodable-body'), detail: expect.stringContaining('Content-Encoding') });
      }
      // A gzip stream cut short is as undecodable as one that never was gzip.
      const cut = gzipSync(Buffer.from('{"name":"long enough to be cut short, mid-stream"}'));
      const truncated = await rawRequest(server, 'GET', '/health/ready', { ...json, 'content-encoding': 'gzip' }, cut.subarray(0, cut.length - 10));
      expect([service, truncated.status]).toEqual([service, 400]);
      for (const encoding of ['x-snappy', 'br']) {
        const unknown = await rawRequest(server, 'GET', '/health/ready', { ...json, 'content-encoding': encoding }, Buffer.from('{}'));
        expect([service, encoding, unknown.status]).toEqual([service, encoding, 415]);
        expect(expectProblem(unknown, '/health/ready')).toBeUndefined();
        expect(unknown.body).toMatchObject({ title: 'Unsupported Media Type', error: 'Unsupported Media Type', statusCode: 415, detail: expect.stringContaining(`"${encoding}"`) });
      }
      // Once the bad request is answered the service is fine.
      await request(server).get('/health/ready').expect(200);
    }
    // A write route: refused before any handler runs, nothing published.
    const write = await rawRequest(services.ingest.getHttpServer() as Server, 'POST', '/v1/companies', { ...json, ...asOperator, 'content-encoding': 'gzip' }, notGzip);
    expect(write.status).toBe(400);
    expect(expectProblem(write, '/v1/companies')).toBeUndefined();
    // And a good gzip body still goes through to validation (here: an empty company is refused by its schema).
    const good = await rawRequest(services.ingest.getHttpServer() as Server, 'POST', '/v1/companies', { ...json, ...asOperator, 'content-encoding': 'gzip' }, gzipSync(Buffer.from('{}')));
    expect(good.status).toBe(400);
    expect(good.body).toMatchObject({ type: expect.stringContaining('invalid-input'), issues: expect.arrayContaining([expect.objectContaining({ path: '/name' })]) });
    expect((await written()) - before).toBe(0n);
  });

  it('refuses invalid UTF-8 in a JSON body with a 400 naming it, instead of storing U+FFFD', async () => {
    const before = await written();
    const res = await rawRequest(services.ingest.getHttpServer() as Server, 'POST', '/v1/companies', { 'content-type': 'application/json', ...asOperator }, latin1);
    expect(res.status).toBe(400);
    expect(expectProblem(res, '/v1/companies')).toBeUndefined();
    expect(res.body).toMatchObject({ type: expect.stringContaining('invalid-utf8'), message: 'Request body is not valid UTF-8 (first bad byte at offset 11)' });
    expect((await written()) - before).toBe(0n);
  });

  it('answers a wrong method on a known path with 405 and Allow from the registered routes, and an unknown path with 404', async () => {
    const cases: [INestApplication, string, string, string][] = [
      [services.ingest, 'get', '/v1/companies', 'POST'],
      [services.ingest, 'delete', `/v1/postings/p-${runId}`, 'PATCH'],
      [services.listings, 'post', '/v1/postings', 'GET, HEAD'],
      [services.listings, 'put', `/v1/applications/a-${runId}`, 'GET, HEAD'],
      [services.analytics, 'delete', '/v1/trending/postings', 'GET, HEAD'],
    ];
    for (const app of Object.values(everyService())) cases.push([app, 'post', '/health/live', 'GET, HEAD']);
    for (const [app, method, path, allow] of cases) {
      const res = await request(app.getHttpServer())[method as 'get'](path).set(asOperator);
      expect([method, path, res.status]).toEqual([method, path, 405]);
      expect(res.headers.allow).toContain(allow);
      expect(expectProblem(res, path)).toBeUndefined();
      expect(res.body).toMatchObject({ title: 'Method Not Allowed', detail: expect.stringContaining(method.toUpperCase()) });
    }
    const missing = await request(services.listings.getHttpServer()).get('/v1/nothing-here').expect(404);
    expect(expectProblem(missing, '/v1/nothing-here')).toBeUndefined();
    expect(missing.headers.allow).toBeUndefined();
  });

  it('lets public reads be cached briefly, and never health, metrics, errors or the receipt-token status', async () => {
    const listings = services.listings.getHttpServer();
    const analytics = services.analytics.getHttpServer();
    for (const [server, path] of [
      [listings, '/v1/postings?limit=1'],
      [analytics, '/v1/trending/postings'],
      [analytics, `/v1/companies/c-${runId}/salaries`],
    ] as const) {
      const res = await request(server).get(path).expect(200);
      expect([path, res.headers['cache-control']]).toEqual([path, expect.stringMatching(/^public, max-age=\d+/)]);
    }
    for (const [server, path] of [
      [listings, `/v1/applications/a-${runId}`],
      [listings, `/v1/postings/p-${runId}`],
      [listings, '/health/ready'],
      [analytics, '/metrics'],
    ] as const) {
      const res = await request(server).get(path);
      expect([path, res.headers['cache-control']]).toEqual([path, expect.stringMatching(/\bno-store\b/)]);
    }
  });
});
