import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { eventually, testApiKeys, testEnv, testKeys } from '../support/apps';
import { ROOT, childPort, engines, runId } from '../support/engines';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** SIGTERM to ingest in the middle of a write load: every write it acknowledged is on the topic. */
describe('graceful shutdown under load', () => {
  const kafka = new Kafka({ clientId: 'fault-sigterm', brokers: [engines.kafkaBrokers], sasl: engines.kafkaSasl, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const port = childPort();
  const base = `http://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;

  beforeAll(() => admin.connect());
  afterAll(async () => {
    child?.kill('SIGKILL');
    await admin.disconnect();
  });

  it('ingest: SIGTERM mid-load exits cleanly and loses no acknowledged write', async () => {
    const env = {
      ...process.env,
      ...testEnv({ LOG_LEVEL: 'info', PORT: String(port), HOST: '127.0.0.1', INGEST_API_KEYS: testApiKeys, INGEST_REGISTRY_PREFIX: `e2e:${runId}:sigterm:` }),
      TS_NODE_TRANSPILE_ONLY: 'true',
      TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'),
    };
    child = spawn(process.execPath, ['-r', 'ts-node/register', '-r', 'tsconfig-paths/register', join(ROOT, 'apps/ingest/src/main.ts')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child!.once('exit', (code, signal) => resolve({ code, signal })));
    await eventually(async () => ((await fetch(`${base}/health/ready`).catch(() => undefined))?.status === 200 ? true : undefined), 90_000, 500);
    const start = new Map((await admin.fetchTopicOffsets('companies')).map((p) => [p.partition, p.high]));

    const acknowledged = new Set<string>();
    const tally = { sent: 0, refused: 0, unavailable: 0, fivexx: 0 };
    let running = true;
    let n = 0;
    const loops = Array.from({ length: 4 }, async () => {
      while (running) {
        const companyId = `sigterm-${runId}-${n++}`;
        tally.sent++;
        const res = await fetch(`${base}/v1/companies`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${testKeys.operator}` },
          body: JSON.stringify({ companyId, name: `Shutdown ${companyId}` }),
        }).catch(() => undefined);
        if (!res) {
          tally.refused++; // the listener is closed: nothing was acknowledged
          await sleep(50);
        } else if (res.status === 202) acknowledged.add(((await res.json()) as { eventId: string }).eventId);
        else if (res.status === 503) tally.unavailable++;
        else tally.fivexx++;
      }
    });
    await sleep(3000);
    child.kill('SIGTERM');
    const exited = await exit;
    await sleep(500);
    running = false;
    await Promise.all(loops);

    // Every acknowledged event id is on the topic, after the offsets of before the load.
    const seen = new Set<string>();
    const reader = kafka.consumer({ groupId: `fault-sigterm-${runId}` });
    await reader.connect();
    await reader.subscribe({ topic: 'companies', fromBeginning: true });
    reader.on(reader.events.GROUP_JOIN, () => {
      for (const [partition, offset] of start) reader.seek({ topic: 'companies', partition, offset });
    });
    await reader.run({
      eachMessage: ({ message }) => {
        const id = message.headers?.eventId?.toString();
        if (id) seen.add(id);
        return Promise.resolve();
      },
    });
    await eventually(async () => ([...acknowledged].every((id) => seen.has(id)) ? true : undefined), 60_000, 500).catch(() => undefined);
    await reader.disconnect();
    const lost = [...acknowledged].filter((id) => !seen.has(id)).length;
    process.stdout.write(
      `fault ingest-sigterm: SIGTERM under load; requests ${tally.sent}, acknowledged ${acknowledged.size}, refused after close ${tally.refused}, 503 ${tally.unavailable}, 5xx ${tally.fivexx}, exit ${exited.code ?? exited.signal}, events lost: ${lost}\n`,
    );
    // Nest re-raises the signal once its shutdown hooks are done: SIGTERM, not SIGKILL or a crash code.
    expect(exited.code === 0 || exited.signal === 'SIGTERM').toBe(true);
    expect(output).toContain('"msg":"shutting down"');
    expect(acknowledged.size).toBeGreaterThan(0);
    expect(tally.fivexx).toBe(0);
    expect(lost).toBe(0);
  }, 300_000);
});
