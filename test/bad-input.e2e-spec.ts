import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { Kafka, logLevel } from 'kafkajs';
import { TopicCatalog } from '@jobstream/contracts';
import { BAD_IDS, badBodies, type Schema } from './support/bad-input.util';
import { asOperator, startAnalytics, startIngest, startListings, waitReady } from './support/apps';
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
  const kafka = new Kafka({ clientId: 'e2e-bad-input', brokers: [engines.kafkaBrokers], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const tally = { requests: 0, endpoints: 0, fourxx: 0, fivexx: 0, unnamed: 0 };
  const failures: string[] = [];

  beforeAll(async () => {
    services.ingest = await startIngest({ INGEST_PUBLIC_RATE_LIMIT: '10000000', INGEST_RATE_LIMIT_KEY_PREFIX: `e2e:${runId}:bad:` });
    services.listings = (await startListings('bad-input', { CONSUMER_FROM_BEGINNING: 'latest', SEARCH_RATE_LIMIT: '10000000' })).app;
    services.analytics = (await startAnalytics('bad-input', { CONSUMER_FROM_BEGINNING: 'latest' })).app;
    await Promise.all(Object.values(services).map((app) => waitReady(app)));
    await admin.connect();
  }, 120_000);

  afterAll(async () => {
    await admin.disconnect();
    for (const app of Object.values(services)) await app.close();
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
});
