import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { asOperator, eventually, startIngest, waitReady } from '../support/apps';
import { engines, enginesScript } from '../support/engines';

/** Stops the real Kafka broker under a running ingest, then brings it back. */
describe('ingest with the Kafka broker down', () => {
  let ingest: INestApplication;

  beforeAll(async () => {
    if (engines.external) throw new Error('fault tests stop and start engines: run them against scripts/engines.sh');
    ingest = await startIngest({ KAFKA_HEALTH_INTERVAL_MS: '2000', KAFKA_SEND_TIMEOUT_MS: '3000' });
    await waitReady(ingest);
  });

  afterAll(async () => {
    enginesScript('start', 'kafka');
    await ingest?.close();
  });

  it('reports the broker down within 10 s and answers writes 503 with Retry-After, never 202', async () => {
    await request(ingest.getHttpServer()).post('/v1/companies').set(asOperator).send({ name: 'before' }).expect(202);
    const stoppingAt = Date.now();
    enginesScript('stop', 'kafka');
    const stoppedAt = Date.now();
    const ready = await eventually(async () => {
      const res = await request(ingest.getHttpServer()).get('/health/ready');
      return res.status === 503 ? res : undefined;
    }, 10_000, 250);
    process.stdout.write(`kafka stop took ${stoppedAt - stoppingAt} ms; ingest reported it down ${Date.now() - stoppedAt} ms after\n`);
    expect(ready.body.details.kafka.status).toBe('down');

    let writes = 0;
    for (let i = 0; i < 5; i++) {
      const res = await request(ingest.getHttpServer()).post('/v1/companies').set(asOperator).send({ name: `during ${i}` });
      expect(res.status).toBe(503);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      expect(res.body.message).toMatch(/Kafka/);
      writes++;
    }
    expect(writes).toBe(5);

    enginesScript('start', 'kafka');
    await waitReady(ingest, 60_000);
    await eventually(async () => ((await request(ingest.getHttpServer()).post('/v1/companies').set(asOperator).send({ name: 'after' })).status === 202 ? true : undefined), 60_000, 1000);
  });
});
