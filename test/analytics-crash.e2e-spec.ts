import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { createEvent, type EventEnvelope } from '@jobstream/contracts';
import { analyticsEnv, eventually } from './support/apps';
import { ROOT, childPort, engines, runId } from './support/engines';

/**
 * Analytics SIGKILLed mid-stream (no shutdown hooks, a batch possibly half-way) and restarted with
 * the same group and state must end with exact counters: uncommitted slices are redelivered and the
 * per-batch Redis script either applied an event together with its dedupe marker, or not at all.
 */
describe('analytics killed mid-stream', () => {
  const kafka = new Kafka({ clientId: 'e2e-analytics-crash', brokers: [engines.kafkaBrokers], sasl: engines.kafkaSasl, logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  const port = childPort();
  const env = {
    ...process.env,
    ...analyticsEnv('crash', { PORT: String(port), HOST: '127.0.0.1', CONSUMER_MAX_BATCH: '50' }),
    TS_NODE_TRANSPILE_ONLY: 'true',
    TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'),
  };
  const startChild = (): ChildProcess =>
    spawn(process.execPath, ['-r', 'ts-node/register', '-r', 'tsconfig-paths/register', join(ROOT, 'apps/analytics/src/main.ts')], { cwd: ROOT, env, stdio: 'ignore' });
  const exited = (child: ChildProcess) => new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(undefined) : child.once('exit', r)));
  const stats = async (postingId: string): Promise<Record<string, number> | undefined> => {
    const res = await fetch(`http://127.0.0.1:${port}/v1/postings/${postingId}/stats`);
    return res.status === 200 ? ((await res.json()) as Record<string, number>) : undefined;
  };

  beforeAll(() => producer.connect());
  afterAll(() => producer.disconnect());

  it('ends with exact counters after a SIGKILL and a restart', async () => {
    const postings = Array.from({ length: 6 }, (_, i) => `posting-${runId}-crash-${i}`);
    // Every posting: views, apply clicks, scraps and unscraps, mock applications by up to 40 viewers.
    const events: EventEnvelope[] = [];
    for (let i = 0; i < 6000; i++) {
      const postingId = postings[i % postings.length];
      const viewerId = `viewer-${Math.floor(i / postings.length) % 40}`;
      const pick = Math.floor(i / postings.length) % 10;
      const type = pick < 6 ? 'posting.viewed' : pick === 6 ? 'posting.apply-clicked' : pick === 7 ? 'posting.scrapped' : pick === 8 ? 'posting.unscrapped' : 'posting.mock-applied';
      events.push(createEvent(type, { postingId, viewerId }, 'e2e'));
    }
    const expected = new Map(postings.map((p) => [p, { totalViews: 0, viewers: new Set<string>(), applyClicks: 0, scraps: new Set<string>(), mock: new Set<string>() }]));
    for (const e of events) {
      const s = expected.get(e.key)!;
      const viewer = (e.data as { viewerId: string }).viewerId;
      if (e.type === 'posting.viewed') {
        s.totalViews++;
        s.viewers.add(viewer);
      }
      else if (e.type === 'posting.apply-clicked') s.applyClicks++;
      else if (e.type === 'posting.scrapped') s.scraps.add(viewer);
      else if (e.type === 'posting.unscrapped') s.scraps.delete(viewer);
      else s.mock.add(viewer);
    }
    const sendChunk = async (chunk: EventEnvelope[]) => {
      const redelivered = chunk.filter((_, k) => k % 20 === 0);
      await producer.send({
        topic: 'engagement',
        acks: -1,
        messages: [...chunk, ...redelivered].map((e) => ({ key: e.key, value: JSON.stringify(e), headers: { type: e.type, schemaVersion: '1', eventId: e.id } })),
      });
    };
    const chunks = Array.from({ length: 12 }, (_, i) => events.slice(i * 500, (i + 1) * 500));

    const first = startChild();
    const ready = async () => (await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => undefined))?.status === 200;
    await eventually(async () => ((await ready()) ? true : undefined), 90_000, 250);
    let sent = 0;
    let seenBeforeKill = 0;
    try {
      // Feed the stream while the consumer runs; kill it as soon as it has applied part of it.
      for (; sent < chunks.length; sent++) {
        await sendChunk(chunks[sent]);
        const progress = await Promise.all(postings.map((p) => stats(p).catch(() => undefined)));
        seenBeforeKill = progress.reduce((sum, s) => sum + (s?.totalViews ?? 0), 0);
        if (seenBeforeKill > 0 && sent >= 1) {
          sent++;
          break;
        }
        if (sent === chunks.length - 2) await eventually(async () => ((await stats(postings[0]).catch(() => undefined)) ? true : undefined), 90_000, 100);
      }
    } finally {
      first.kill('SIGKILL');
    }
    await exited(first);
    process.stdout.write(`crash test: killed after ${sent} of ${chunks.length} chunks produced, ${seenBeforeKill} views applied\n`);
    for (; sent < chunks.length; sent++) await sendChunk(chunks[sent]);

    const second = startChild();
    try {
      await eventually(async () => {
        for (const [postingId, want] of expected) {
          const got = await stats(postingId).catch(() => undefined);
          const exact = { totalViews: want.totalViews, applyClicks: want.applyClicks, scraps: want.scraps.size, mockApplicants: want.mock.size, uniqueViewers: want.viewers.size };
          const view = got && { totalViews: got.totalViews, applyClicks: got.applyClicks, scraps: got.scraps, mockApplicants: got.mockApplicants, uniqueViewers: got.uniqueViewers };
          if (JSON.stringify(view) !== JSON.stringify(exact)) throw new Error(`${postingId}: got ${JSON.stringify(view)}, want ${JSON.stringify(exact)}`);
        }
        return true;
      }, 150_000, 500);
    } finally {
      second.kill('SIGTERM');
      await exited(second);
    }
  }, 300_000);
});
