import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { INestApplication } from '@nestjs/common';
import { Kafka, logLevel } from 'kafkajs';
import { createEvent, dlqTopic } from '@jobstream/contracts';
import { deadLetterMessage } from '@jobstream/messaging/dead-letter';
import { dlqRedriveCommand, listDeadLetters } from '../apps/ops/src/dead-letters.command';
import { groupLag } from '../apps/ops/src/lag.command';
import { groupProgress, renderBar } from '../apps/ops/src/progress.command';
import { CompaniesRepository } from '../apps/listings/src/companies/companies.repository';
import { eventually, kafkaAuthEnv, startIngest, startListings, syncListings, waitReady } from './support/apps';
import { ROOT, engines, runId } from './support/engines';

describe('operator tooling: dead letters, re-drive, lag', () => {
  let ingest: INestApplication;
  let listings: INestApplication;
  let groupId: string;
  const kafka = new Kafka({ clientId: 'e2e-ops', brokers: [engines.kafkaBrokers], sasl: engines.kafkaSasl, logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  const printed: string[] = [];
  const print = (text: string) => void printed.push(text);

  beforeAll(async () => {
    ingest = await startIngest();
    ({ app: listings, groupId } = await startListings('ops', { CONSUMER_FROM_BEGINNING: 'latest', CONSUMER_MAX_RETRIES: '1', CONSUMER_RETRY_BASE_MS: '50' }));
    await producer.connect();
    await Promise.all([waitReady(ingest), waitReady(listings)]);
    await syncListings(ingest, listings);
  });

  afterAll(async () => {
    await producer.disconnect();
    await listings?.close();
    await ingest?.close();
  });

  // The listings group's own store (the company page is the search projection's, a group of its own
  // with its own dead letters).
  const stored = (id: string) => listings.get(CompaniesRepository, { strict: false }).findById(id);

  it('lists dead letters, re-drives them to their own group only, and parks again what still fails', async () => {
    const poisonKey = `ops-poison-${runId}`;
    await producer.send({ topic: 'companies', acks: -1, messages: [{ key: poisonKey, value: '{"truncated": ' }] });
    // A valid event parked earlier (say, while a bug was live), as the consumer itself parks letters.
    const parkedId = `ops-parked-${runId}`;
    const parked = createEvent('company.upserted', { companyId: parkedId, name: 'Parked Inc' }, 'e2e');
    const letter = deadLetterMessage(
      { message: { topic: 'companies', partition: 0, offset: '42', key: Buffer.from(parked.key), value: Buffer.from(JSON.stringify(parked)) }, error: 'MongoServerError: simulated bug', attempts: 6 },
      groupId,
    );
    await producer.send({ topic: dlqTopic(groupId), acks: -1, messages: [letter] });

    const letters = await eventually(async () => {
      const found = await listDeadLetters(kafka, groupId);
      return found.length >= 2 ? found : undefined;
    }, 60_000);
    expect(letters).toHaveLength(2);
    const poison = letters.find((l) => l.eventType === '(not JSON)')!;
    expect(poison).toMatchObject({ origin: expect.stringMatching(/^companies\/\d+@\d+$/), redriven: false, error: expect.stringContaining('not JSON') });
    expect(letters.find((l) => l.eventId === parked.id)).toMatchObject({ eventType: 'company.upserted', origin: 'companies/0@42', attempts: 6, redriven: false });
    expect(await stored(parkedId)).toBeNull();

    await expect(dlqRedriveCommand(kafka, groupId, { refs: [], dryRun: true }, print)).resolves.toBe(2);
    expect(await listDeadLetters(kafka, groupId)).toHaveLength(2); // a dry run sends nothing
    await expect(dlqRedriveCommand(kafka, groupId, { refs: [] }, print)).resolves.toBe(2);
    expect(printed.at(-1)).toContain(`redrive.${groupId}`);

    // The listings group handles the re-driven event as a `companies` event...
    const redriven = await eventually(async () => (await stored(parkedId)) ?? undefined, 60_000);
    expect(redriven.name).toBe('Parked Inc');
    // ...and the one that still fails comes back as a new letter, marked as re-driven once.
    const after = await eventually(async () => {
      const found = await listDeadLetters(kafka, groupId);
      return found.length >= 3 ? found : undefined;
    }, 60_000);
    expect(after.slice(0, 2).every((l) => l.redriven)).toBe(true);
    expect(after[2]).toMatchObject({ eventType: '(not JSON)', origin: poison.origin, redriven: false });

    // `--all` only sends what hasn't been sent: just the new letter.
    await expect(dlqRedriveCommand(kafka, groupId, { refs: [] }, print)).resolves.toBe(1);
    await expect(dlqRedriveCommand(kafka, groupId, { refs: ['999'] }, print)).rejects.toThrow('no such dead letters');
  });

  it('reports lag per topic and the dead letters waiting', async () => {
    const lag = await eventually(async () => {
      const [g] = await groupLag(kafka, [groupId]);
      return g.topics.some((t) => t.topic === 'companies') && g.total === 0n ? g : undefined;
    }, 60_000);
    expect(lag.deadLetters).toBeGreaterThanOrEqual(3n);
    expect(lag.topics.map((t) => t.topic)).toEqual(expect.arrayContaining(['companies', `redrive.${groupId}`]));
  });

  it('shows a running group\'s progress through everything its topics hold', async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const progress = await eventually(async () => {
        const p = await groupProgress(admin, groupId);
        return p.topics.includes('companies') && p.total > 0n && p.done === p.total ? p : undefined;
      }, 60_000);
      expect(progress.topics).toEqual(expect.arrayContaining(['companies', 'postings', `redrive.${groupId}`]));
      // Applications are decided in a group of their own, so a projection backlog never delays them.
      expect(progress.topics).not.toContain('applications');
      expect(renderBar(progress)).toContain('100.0%');
    } finally {
      await admin.disconnect();
    }
  });

  it('runs as a CLI', async () => {
    const run = promisify(execFile);
    // The node running jest (the project's, from ./jobstream), not whichever is first on PATH.
    const env = { ...process.env, KAFKA_BROKERS: engines.kafkaBrokers, ...kafkaAuthEnv(), LOG_LEVEL: 'error' };
    const cli = ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', join(ROOT, 'apps/ops/src/main.ts')];
    const lag = await run(process.execPath, [...cli, 'lag', groupId], { cwd: ROOT, env });
    expect(lag.stdout).toContain(`${groupId}: 0 events behind`);
    const list = await run(process.execPath, [...cli, 'dlq', 'list', groupId, '--limit', '1'], { cwd: ROOT, env });
    expect(list.stdout).toMatch(/dead letters in dlq\./);
    const progress = await run(process.execPath, [...cli, 'progress', groupId, '--watch'], { cwd: ROOT, env });
    expect(progress.stdout).toMatch(/100\.0%[\s\S]*caught up/);
    const bad = await run(process.execPath, [...cli, 'dlq', 'redrive', groupId], { cwd: ROOT, env }).catch((err: { code: number; stderr: string }) => err);
    expect(bad).toMatchObject({ code: 1, stderr: expect.stringContaining('--all') });
  }, 120_000);
});
