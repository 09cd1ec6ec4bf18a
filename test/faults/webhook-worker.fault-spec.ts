import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Webhook } from 'standardwebhooks';
import { v7 as uuidv7 } from 'uuid';
import { TopicCatalog, createEvent, type AnyEvent } from '@jobstream/contracts';
import { eventually, groupPinned, testApiKeys, testEnv, testKeys } from '../support/apps';
import { ROOT, childPort, engines, runId } from '../support/engines';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * kill -9 of the notifier while webhooks are in flight (the receiver answers slowly, so requests
 * are mid-way when it dies), events still arriving, then a restart on the same group and queue:
 * every event reaches the receiver, and a duplicate always carries the same webhook-id.
 */
describe('webhook worker killed mid-delivery', () => {
  const kafka = new Kafka({ clientId: 'fault-webhooks', brokers: [engines.kafkaBrokers], sasl: engines.kafkaSasl, logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  const port = childPort();
  const base = `http://127.0.0.1:${port}`;
  const company = `wh-kill-${runId}`;
  const groupId = `notifier-e2e-${runId}-whkill`;
  let child: ChildProcess | undefined;
  let server: Server | undefined;
  let secret = '';
  /** webhook-id → body ids of the verified requests the receiver answered 200 to. */
  const accepted = new Map<string, string[]>();
  let received = 0;
  let inFlight = 0;
  let unverified = 0;

  const env = {
    ...process.env,
    ...testEnv({
      KAFKA_GROUP_ID: groupId,
      NOTIFIER_QUEUE_PREFIX: `e2e-${runId}-whkill`,
      CONSUMER_FROM_BEGINNING: 'latest',
      INGEST_API_KEYS: testApiKeys,
      WEBHOOK_REQUIRE_HTTPS: 'false',
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'loopback',
      WEBHOOK_CONCURRENCY: '4',
      WEBHOOK_BACKOFF_BASE_MS: '200',
      WEBHOOK_BACKOFF_MAX_MS: '2000',
      NOTIFIER_JOB_LOCK_MS: '3000',
      PORT: String(port),
      HOST: '127.0.0.1',
    }),
    TS_NODE_TRANSPILE_ONLY: 'true',
    TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'),
  };
  const startChild = (): ChildProcess =>
    spawn(process.execPath, ['-r', 'ts-node/register', '-r', 'tsconfig-paths/register', join(ROOT, 'apps/notifier/src/main.ts')], { cwd: ROOT, env, stdio: 'ignore' });
  // A ts-node start takes minutes on a loaded 2-core machine (seen: over 120 s at load average 20).
  const ready = () => eventually(async () => ((await fetch(`${base}/health/ready`).catch(() => undefined))?.status === 200 ? true : undefined), 240_000, 500);
  const exited = (p: ChildProcess) => new Promise((r) => (p.exitCode !== null || p.signalCode !== null ? r(undefined) : p.once('exit', r)));

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        received++;
        try {
          new Webhook(secret).verify(body, req.headers as Record<string, string>);
        } catch {
          unverified++;
          res.writeHead(401).end();
          return;
        }
        inFlight++;
        // Slow answers keep requests in flight, so the kill lands mid-delivery.
        setTimeout(() => {
          inFlight--;
          const id = String(req.headers['webhook-id']);
          accepted.set(id, [...(accepted.get(id) ?? []), (JSON.parse(body) as { id: string }).id]);
          res.writeHead(200).end();
        }, 150);
      });
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    await producer.connect();
  });

  afterAll(async () => {
    child?.kill('SIGKILL');
    await producer.disconnect();
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
  });

  it('kill -9 mid-delivery under load, restart: lost 0, duplicates only with the same webhook-id', async () => {
    child = startChild();
    await ready();
    const created = await fetch(`${base}/v1/webhooks/subscriptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${testKeys.operator}` },
      body: JSON.stringify({ url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}/hook`, events: ['posting.published'], companyId: company }),
    });
    expect(created.status).toBe(201);
    secret = ((await created.json()) as { secret: string }).secret;
    await groupPinned(`${groupId}-webhooks`, TopicCatalog.map((t) => t.name));

    const sent: string[] = [];
    let publishing = true;
    const load = (async () => {
      for (let n = 0; publishing && n < 400; n++) {
        const event = createEvent('posting.published', {
          postingId: uuidv7(), companyId: company, externalId: `ext-${n}`, revision: 1, title: `Kill role ${n}`, status: 'published',
          location: 'Remote', workplaceType: 'remote', employmentType: 'full-time', description: 'Under load.', postedAt: new Date().toISOString(),
        }, 'fault') as AnyEvent;
        await producer.send({ topic: 'postings', acks: -1, messages: [{ key: event.key, value: JSON.stringify(event) }] });
        sent.push(event.id);
        await sleep(25);
      }
    })();

    await eventually(async () => (accepted.size >= 30 && inFlight > 0 ? true : undefined), 120_000, 10);
    const inFlightAtKill = inFlight;
    child.kill('SIGKILL');
    await exited(child);
    const beforeRestart = accepted.size;
    await sleep(2000); // events keep arriving while the notifier is down
    child = startChild();
    await ready();
    await sleep(3000);
    publishing = false;
    await load;

    await eventually(async () => (sent.every((id) => accepted.has(id)) ? true : undefined), 180_000, 500);
    await sleep(8000); // past the lock and the stalled check: a late duplicate would have arrived
    child.kill('SIGTERM');
    await exited(child);

    const lost = sent.filter((id) => !accepted.has(id)).length;
    const deliveries = [...accepted.values()].reduce((n, ids) => n + ids.length, 0);
    const duplicates = deliveries - accepted.size;
    const mismatched = [...accepted.entries()].filter(([id, bodies]) => bodies.some((b) => b !== id)).length;
    process.stdout.write(
      `fault webhook-worker-sigkill: kill -9 with ${inFlightAtKill} requests in flight after ${beforeRestart} accepted; events ${sent.length}, requests ${received}, accepted ${deliveries}, duplicates ${duplicates} (all same webhook-id: ${mismatched === 0}), unverified ${unverified}, lost: ${lost}\n`,
    );
    expect(lost).toBe(0);
    expect(mismatched).toBe(0);
    expect(unverified).toBe(0);
    expect([...accepted.keys()].every((id) => sent.includes(id))).toBe(true);
  }, 600_000);
});
