import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { Kafka, logLevel } from 'kafkajs';
import Redis from 'ioredis';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { createEvent, topicOf, type AnyEvent } from '@jobstream/contracts';
import { asOperator, eventually, startIngest, startListings, startNotifier, syncListings, testEnv, waitReady } from './support/apps';
import { ROOT, childPort, engines, runId } from './support/engines';

interface Mail {
  subject: string;
  to: { address: string; name?: string }[];
  text: string;
}

/** Mail captured by the SMTP sink, addressed to one of `addresses`. */
async function mailTo(addresses: readonly string[]): Promise<Mail[]> {
  const res = await fetch(`${engines.smtpApi}/email`);
  const all = (await res.json()) as Mail[];
  const wanted = new Set(addresses.map((a) => a.toLowerCase()));
  return all.filter((m) => m.to.some((t) => wanted.has(t.address.toLowerCase())));
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('applications: apply → listings decides (limit) → outcomes → notifier emails via BullMQ', () => {
  const kafka = new Kafka({ clientId: 'e2e-applications', brokers: [engines.kafkaBrokers], sasl: engines.kafkaSasl, logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  let ingest: INestApplication;
  let listings: INestApplication;
  let notifier: INestApplication | undefined;

  const group = { id: `group-${runId}`, name: 'TikTok and its affiliates' };
  const policy = { maxApplicationsPerCandidate: 2, scope: 'group' as const, consideredInOrderApplied: true };
  const companyA = `tiktok-${runId}`;
  const companyB = `lemon8-${runId}`;
  const recruiter = { name: 'Rita Recruiter', email: `rita-${runId}@recruiters.test` };
  // Created through ingest, as any ATS would: ingest's registry must know a posting before it takes applications.
  const postings = {
    p1: { externalId: `p1-${runId}`, companyId: companyA, title: 'Backend Engineer Intern', postingId: '' },
    p2: { externalId: `p2-${runId}`, companyId: companyB, title: 'Data Engineer', postingId: '' },
    p3: { externalId: `p3-${runId}`, companyId: companyA, title: 'SRE', postingId: '' },
    closed: { externalId: `closed-${runId}`, companyId: companyA, title: 'Closed role', postingId: '' },
  };

  const send = async (events: AnyEvent[]) => {
    for (const e of events) {
      const topic = topicOf(e.type).name;
      await producer.send({ topic, acks: -1, messages: [{ key: e.key, value: JSON.stringify(e), headers: { type: e.type } }] });
    }
  };

  const apply = (postingId: string, email: string) =>
    request(ingest.getHttpServer())
      .post(`/v1/postings/${postingId}/applications`)
      .send({ name: 'Casey Candidate', email, resumeUrl: 'https://cv.example/casey.pdf', coverNote: 'Hello!' });

  const scrapeCount = async (pattern: string) => {
    const text = (await request(ingest.getHttpServer()).get('/metrics').expect(200)).text;
    return Number(new RegExp(pattern).exec(text)?.[1] ?? 0);
  };

  const decided = (applicationId: string, token: string) =>
    eventually(async () => {
      const res = await request(listings.getHttpServer()).get(`/v1/applications/${applicationId}`).set('x-receipt-token', token);
      return res.status === 200 ? (res.body as { status: string; reason?: string; postingId: string }) : undefined;
    }, 60_000);

  beforeAll(async () => {
    await producer.connect();
    ingest = await startIngest();
    ({ app: listings } = await startListings('applications', { CONSUMER_FROM_BEGINNING: 'latest' }));
    ({ app: notifier } = await startNotifier('inproc'));
    await Promise.all([waitReady(ingest), waitReady(listings), waitReady(notifier)]);
    await syncListings(ingest, listings);
    const write = () => request(ingest.getHttpServer());
    for (const [companyId, name] of [[companyA, 'TikTok'], [companyB, 'Lemon8']] as const) {
      await write().post('/v1/companies').set(asOperator).send({ companyId, name, group, applicationPolicy: policy }).expect(202);
    }
    for (const p of Object.values(postings)) {
      const res = await write()
        .post('/v1/postings')
        .set(asOperator)
        .send({ companyId: p.companyId, externalId: p.externalId, title: p.title, location: 'Singapore', workplaceType: 'on-site', employmentType: 'internship', description: 'Builds the recommendation architecture.', hiringTeam: [recruiter] })
        .expect(202);
      p.postingId = res.body.postingId as string;
    }
    await write().post(`/v1/postings/${postings.closed.postingId}/close`).set(asOperator).expect(202);
  }, 300_000);

  afterAll(async () => {
    await producer.disconnect();
    await notifier?.close();
    await listings?.close();
    await ingest?.close();
  }, 120_000);

  it('validates the application strictly and normalizes the email', async () => {
    const bad = await request(ingest.getHttpServer())
      .post(`/v1/postings/${postings.p1.postingId}/applications`)
      .send({ name: '', email: 'not-an-email', resumeUrl: 'nope', shoeSize: 44 })
      .expect(400);
    expect((bad.body.issues as { path: string }[]).map((i) => i.path)).toEqual(expect.arrayContaining(['/name', '/email', '/resumeUrl', '/shoeSize']));
    await request(ingest.getHttpServer()).post('/v1/postings/$bad/applications').send({}).expect(400);
  });

  it('two accepted and one LIMIT_REACHED across the group; recruiters get two applicant emails, the candidate three', async () => {
    const email = `casey-${runId}@candidates.test`;
    const receipts: { applicationId: string; receiptToken: string }[] = [];
    for (const p of [postings.p1, postings.p2, postings.p3]) {
      const res = await apply(p.postingId, p === postings.p1 ? `  ${email.toUpperCase()} ` : email).expect(202);
      expect(res.body).toEqual({ applicationId: expect.any(String), receiptToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), status: 'pending' });
      receipts.push(res.body as { applicationId: string; receiptToken: string });
    }
    const outcomes = await Promise.all(receipts.map((r) => decided(r.applicationId, r.receiptToken)));
    expect(outcomes.map((o) => [o.status, o.reason])).toEqual([
      ['accepted', undefined],
      ['accepted', undefined],
      ['rejected', 'LIMIT_REACHED'],
    ]);

    // Only the token holder learns anything; everyone else gets the same 404.
    const [first] = receipts;
    await request(listings.getHttpServer()).get(`/v1/applications/${first.applicationId}`).expect(404);
    await request(listings.getHttpServer()).get(`/v1/applications/${first.applicationId}`).set('x-receipt-token', receipts[1].receiptToken).expect(404);
    const held = await request(listings.getHttpServer()).get(`/v1/applications/${first.applicationId}`).set('authorization', `Bearer ${first.receiptToken}`).expect(200);
    // The answer is for the token holder only: no shared cache may keep it.
    expect(held.headers['cache-control']).toBe('no-store');

    // Applying again to the same posting is the same application: same outcome, no new email.
    const again = await apply(postings.p1.postingId, email).expect(202);
    expect(await decided(again.body.applicationId as string, again.body.receiptToken as string)).toMatchObject({ status: 'accepted', postingId: postings.p1.postingId });

    const recruiterMail = await eventually(async () => {
      const m = await mailTo([recruiter.email]);
      return m.filter((x) => x.subject.startsWith('New applicant')).length >= 2 ? m : undefined;
    }, 90_000);
    const candidateMail = await eventually(async () => {
      const m = await mailTo([email]);
      return m.length >= 3 ? m : undefined;
    }, 90_000);
    await settle(3000); // anything sent twice would show up now
    const finalRecruiter = (await mailTo([recruiter.email])).filter((m) => m.subject.startsWith('New applicant'));
    const finalCandidate = await mailTo([email]);
    expect(finalRecruiter).toHaveLength(2);
    expect(finalRecruiter.map((m) => m.subject).sort()).toEqual(
      [`New applicant for ${postings.p1.title}: Casey Candidate`, `New applicant for ${postings.p2.title}: Casey Candidate`].sort(),
    );
    expect(finalRecruiter[0].text).toContain('https://cv.example/casey.pdf');
    expect(finalRecruiter[0].text).toContain(email);
    expect(finalCandidate).toHaveLength(3);
    expect(finalCandidate.map((m) => m.subject).sort()).toEqual(
      [
        `Your application to ${postings.p1.title} was received`,
        `Your application to ${postings.p2.title} was received`,
        `Your application to ${postings.p3.title} could not be accepted`,
      ].sort(),
    );
    expect(finalCandidate.find((m) => m.subject.includes(postings.p3.title))!.text).toContain('LIMIT_REACHED');
    expect(recruiterMail.length).toBeGreaterThan(0);
    expect(candidateMail.length).toBeGreaterThan(0);
  });

  it('on FerretDB, statuses are read from a Redis view the decisions write; a lost view answers 503 until it is rebuilt', async () => {
    const redis = new Redis(engines.redisUrl);
    try {
      const prefix = `listings:e2e_${runId}_applications:application-status:`;
      const res = await apply(postings.p2.postingId, `view-${runId}@candidates.test`).expect(202);
      const { applicationId, receiptToken } = res.body as { applicationId: string; receiptToken: string };
      expect(await decided(applicationId, receiptToken)).toMatchObject({ status: 'accepted', postingId: postings.p2.postingId });
      const stored = JSON.parse((await redis.get(`${prefix}id:${applicationId}`)) ?? 'null') as { status: string; receiptTokenHash: string } | null;
      expect(stored).toMatchObject({ applicationId, status: 'accepted', receiptTokenHash: expect.stringMatching(/^[a-f0-9]{64}$/) });
      expect(await redis.exists(`${prefix}complete`)).toBe(1);

      // Redis loses the view: a read it can't answer is a 503 to retry (not a store scan), and the
      // view is rebuilt from the store.
      const keys = await redis.keys(`${prefix}*`);
      await redis.del(...keys);
      const meanwhile = await request(listings.getHttpServer()).get(`/v1/applications/${applicationId}`).set('x-receipt-token', receiptToken).expect(503);
      expect(meanwhile.headers['retry-after']).toBe('2');
      await eventually(async () => ((await redis.exists(`${prefix}complete`)) === 1 ? true : undefined), 60_000);
      expect(await redis.exists(`${prefix}id:${applicationId}`)).toBe(1);
      const rebuilt = await redis.keys(`${prefix}id:*`);
      expect(rebuilt.length).toBeGreaterThanOrEqual(keys.length - 1); // every decision and alias; the lease key is gone
      await request(listings.getHttpServer()).get(`/v1/applications/${applicationId}`).set('x-receipt-token', receiptToken).expect(200);
      await request(listings.getHttpServer()).get(`/v1/applications/${uuidv7()}`).set('x-receipt-token', receiptToken).expect(404);
    } finally {
      redis.disconnect();
    }
  });

  it('exposes Prometheus metrics on every service: routes, events, queue depth, emails', async () => {
    const scrape = async (app: INestApplication) => {
      const res = await request(app.getHttpServer()).get('/metrics').expect(200);
      expect(res.headers['content-type']).toContain('text/plain');
      return res.text;
    };
    for (const app of [ingest, listings, notifier!]) expect(await scrape(app)).toContain('process_resident_memory_bytes');
    // The tests boot every service in one process, so they share one registry; each service's own
    // series are what these lines look for.
    const text = await scrape(ingest);
    expect(text).toMatch(/http_request_duration_seconds_count\{method="POST",route="\/v1\/postings\/:id\/applications",status="202"\} [1-9]/);
    expect(text).toMatch(/jobstream_events_published_total\{topic="applications"\} [1-9]/);
    expect(text).toMatch(/jobstream_events_consumed_total\{group="listings-e2e-[^"]+-applications",topic="applications"\} [1-9]/);
    expect(text).toMatch(/jobstream_event_age_seconds_count\{group="listings-e2e-[^"]+",topic="applications"\} [1-9]/);
    expect(text).toMatch(/jobstream_consumer_lag\{group="listings-e2e-[^"]+",topic="applications",partition="\d+"\} \d+/);
    expect(text).toMatch(/jobstream_emails_sent_total\{kind="[a-z-]+"\} [1-9]/);
    // Decided on the registry facts the events carried, in the decisions' own consumer group.
    expect(text).toMatch(/jobstream_application_decisions_total\{basis="registry",status="accepted",reason=""\} [1-9]/);
    expect(text).toMatch(/jobstream_application_decisions_total\{basis="registry",status="rejected",reason="LIMIT_REACHED"\} [1-9]/);
    expect(text).toMatch(new RegExp(`jobstream_queue_jobs\\{queue="notifier-email",prefix="e2e-${runId}-inproc",state="waiting"\\} \\d+`));
    // Route patterns, not raw URLs: ids never become label values.
    expect(text).not.toContain(postings.p1.postingId);
  });

  it('answers at once what ingest knows: 404 for a posting it never published, 409 for a closed one; neither publishes', async () => {
    const email = `closed-${runId}@candidates.test`;
    const closed = await apply(postings.closed.postingId, email).expect(409);
    expect(closed.body.message).toBe(`Posting ${postings.closed.postingId} is closed and takes no applications`);
    const unknown = await apply(`never-${runId}`, email).expect(404);
    expect(unknown.body.message).toBe(`No published posting never-${runId}`);
    const published = await scrapeCount(`jobstream_events_published_total\\{topic="applications"\\} (\\d+)`);
    await apply(postings.closed.postingId, email).expect(409);
    expect(await scrapeCount(`jobstream_events_published_total\\{topic="applications"\\} (\\d+)`)).toBe(published);
    await settle(2000);
    expect(await mailTo([email])).toHaveLength(0);
  });

  it('a notifier killed mid-queue and restarted loses no email and sends none twice', async () => {
    await notifier?.close(); // from here on only the child-process notifier sends
    notifier = undefined;
    const posting = { postingId: `kill-${runId}`, companyId: companyA, title: 'Kill test role' };
    const killRecruiter = { name: 'Kim', email: `kim-${runId}@recruiters.test` };
    await send([createEvent('hiring-team.updated', { ...posting, revision: 1, postingTitle: posting.title, members: [killRecruiter] }, 'e2e')]);
    const candidates = Array.from({ length: 6 }, (_, n) => ({ name: `Kandidate ${n}`, email: `k${n}-${runId}@candidates.test` }));
    await send(
      candidates.map((c, n) =>
        createEvent('application.accepted', {
          applicationId: uuidv7(),
          candidateId: `ckill${n}${runId}`,
          postingId: posting.postingId,
          companyId: posting.companyId,
          postingTitle: posting.title,
          applicant: { name: c.name, email: c.email, resumeUrl: 'https://cv.example/k.pdf' },
          decidedAt: new Date().toISOString(),
        }, 'e2e'),
      ),
    );
    const addresses = [killRecruiter.email, ...candidates.map((c) => c.email)];
    const expected = 12; // 6 applicant emails to the recruiter + 6 confirmations

    const env = {
      ...process.env,
      ...testEnv({
        KAFKA_GROUP_ID: `notifier-e2e-${runId}-child`,
        NOTIFIER_QUEUE_PREFIX: `e2e-${runId}-child`,
        NOTIFIER_RATE_MAX: '1',
        NOTIFIER_RATE_WINDOW_MS: '700',
        NOTIFIER_CONCURRENCY: '1',
        NOTIFIER_JOB_LOCK_MS: '3000',
        PORT: String(childPort()),
        HOST: '127.0.0.1',
      }),
      TS_NODE_TRANSPILE_ONLY: 'true',
      TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'),
    };
    const startChild = (): ChildProcess =>
      spawn(process.execPath, ['-r', 'ts-node/register', '-r', 'tsconfig-paths/register', join(ROOT, 'apps/notifier/src/main.ts')], { cwd: ROOT, env, stdio: 'ignore' });

    const first = startChild();
    try {
      await eventually(async () => ((await mailTo(addresses)).length >= 3 ? true : undefined), 120_000, 100);
    } finally {
      first.kill('SIGKILL');
    }
    await new Promise((r) => (first.exitCode !== null || first.signalCode !== null ? r(undefined) : first.once('exit', r)));
    const beforeRestart = (await mailTo(addresses)).length;
    process.stdout.write(`kill test: ${beforeRestart} of ${expected} emails sent before the notifier was killed\n`);

    const second = startChild();
    try {
      await eventually(async () => ((await mailTo(addresses)).length >= expected ? true : undefined), 180_000, 250);
      await settle(8000); // past the lock and stalled-check interval: a duplicate would have arrived
    } finally {
      second.kill('SIGTERM');
      await new Promise((r) => (second.exitCode !== null || second.signalCode !== null ? r(undefined) : second.once('exit', r)));
    }
    const mail = await mailTo(addresses);
    const keys = mail.map((m) => `${m.to.map((t) => t.address).join(',')}|${m.subject}`).sort();
    expect(keys).toHaveLength(expected);
    expect(new Set(keys).size).toBe(expected);
    for (const c of candidates) expect(mail.filter((m) => m.to.some((t) => t.address === c.email))).toHaveLength(1);
    expect(mail.filter((m) => m.to.some((t) => t.address === killRecruiter.email))).toHaveLength(6);
  }, 420_000);
});
