import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { Kafka, logLevel } from 'kafkajs';
import { v7 as uuidv7 } from 'uuid';
import { createEvent } from '@jobstream/contracts';
import { PostingsRepository } from '../apps/listings/src/postings/postings.repository';
import { ApplicationsRepository, type ApplicationRecord } from '../apps/listings/src/applications/applications.repository';
import { sha256Hex } from '../apps/ingest/src/applications/candidate.util';
import { asOperator, eventually, startIngest, startListings, startNotifier, syncListings, waitReady } from './support/apps';
import { engines, runId } from './support/engines';

interface Mail {
  subject: string;
  to: { address: string }[];
  text: string;
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * An application's outcome is a function of history: the posting, company, group and policy as
 * ingest had acknowledged them when the candidate applied, and the candidate's earlier
 * applications. Never of how far listings' projection has got: here it is flooded (an ATS burst of
 * 3,000 postings) and then held back on purpose for longer than any grace period, and a replay
 * into a fresh database decides everything the same way.
 */
describe('applications are decided on history, however far behind the projection is', () => {
  const kafka = new Kafka({ clientId: 'e2e-application-history', brokers: [engines.kafkaBrokers], sasl: engines.kafkaSasl, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  let ingest: INestApplication;
  // Each scenario gets a listings of its own, joined at the topics' end, so one scenario's
  // projection backlog (FerretDB scans every query) doesn't slow the next one down.
  let listings: INestApplication | undefined;
  let listingsGroup: string;
  let notifier: INestApplication | undefined;
  const decidedIds: string[] = [];
  const stored = new Map<string, ApplicationRecord>();
  const remember = (...docs: ApplicationRecord[]) => {
    for (const d of docs) {
      decidedIds.push(d._id);
      stored.set(d._id, d);
    }
  };
  const lagsSeen: string[] = [];

  const write = () => request(ingest.getHttpServer());
  const read = () => request(listings!.getHttpServer());
  const policy = { maxApplicationsPerCandidate: 2, scope: 'group' as const, consideredInOrderApplied: true };
  const postingBody = (companyId: string, externalId: string, title: string) => ({
    companyId,
    externalId,
    title,
    location: 'Singapore',
    workplaceType: 'on-site',
    employmentType: 'internship',
    description: 'Builds the recommendation architecture.',
  });
  const apply = (postingId: string, email: string) =>
    write().post(`/v1/postings/${postingId}/applications`).send({ name: 'Casey Candidate', email, resumeUrl: 'https://cv.example/casey.pdf' });
  const applications = () => listings!.get(ApplicationsRepository, { strict: false });
  const decision = (applicationId: string, timeoutMs = 60_000) =>
    eventually(async () => (await applications().findByApplicationId(applicationId)) ?? undefined, timeoutMs, 250);
  /** In listings' store of record, the projection application decisions would otherwise wait for. */
  const projected = async (postingId: string) => (await listings!.get(PostingsRepository, { strict: false }).findById(postingId)) !== null;

  /** Posting events the projection group has not committed yet, over all partitions. */
  const postingsBehind = async (): Promise<number> => {
    const [ends, committed] = await Promise.all([admin.fetchTopicOffsets('postings'), admin.fetchOffsets({ groupId: listingsGroup, topics: ['postings'] })]);
    const at = new Map(committed[0].partitions.map((p) => [p.partition, Math.max(0, Number(p.offset))]));
    return ends.reduce((sum, p) => sum + Math.max(0, Number(p.high) - (at.get(p.partition) ?? 0)), 0);
  };

  const useListings = async (name: string) => {
    await listings?.close();
    const started = await startListings(name, { CONSUMER_FROM_BEGINNING: 'latest' });
    ({ app: listings, groupId: listingsGroup } = started);
    await waitReady(started.app);
    await syncListings(ingest, started.app);
  };

  /** The topics listings reads, and where each partition ended when this file began. */
  const replayTopics = ['companies', 'postings', 'posting-stats', 'company-insights', 'applications'] as const;
  let startOffsets: Map<string, { partition: number; offset: string }[]>;

  beforeAll(async () => {
    await Promise.all([admin.connect(), producer.connect()]);
    startOffsets = new Map(await Promise.all(replayTopics.map(async (t) => [t, (await admin.fetchTopicOffsets(t)).map((p) => ({ partition: p.partition, offset: p.high }))] as const)));
    ingest = await startIngest();
    ({ app: notifier } = await startNotifier('history'));
    await Promise.all([waitReady(ingest), waitReady(notifier)]);
  }, 300_000);

  afterAll(async () => {
    await Promise.all([admin.disconnect(), producer.disconnect()]);
    await notifier?.close();
    await listings?.close();
    await ingest?.close();
    process.stdout.write(`application history: longest projection lag at a decision: ${lagsSeen.join('; ')}\n`);
  }, 120_000);

  it('with the postings projection held back for longer than any grace period: accepted, accepted, LIMIT_REACHED, in the order applied', async () => {
    await useListings('history-held');
    const group = { id: `held-group-${runId}`, name: 'Held and affiliates' };
    const [a, b] = [`held-a-${runId}`, `held-b-${runId}`];
    for (const c of [a, b]) await write().post('/v1/companies').set(asOperator).send({ companyId: c, name: `Held ${c}`, group, applicationPolicy: policy }).expect(202);
    await eventually(async () => ((await read().get(`/v1/companies/${b}`)).status === 200 ? true : undefined), 60_000);

    // Hold the projection: its posting writes wait until released. The decisions run in their own
    // consumer group, so nothing holds them.
    const repo = listings!.get(PostingsRepository, { strict: false });
    const original = repo.applySnapshots.bind(repo);
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    repo.applySnapshots = async (...args: Parameters<PostingsRepository['applySnapshots']>) => {
      await released;
      return original(...args);
    };
    const heldSince = Date.now();
    try {
      const ids: string[] = [];
      for (const [company, ext] of [[a, 'h1'], [b, 'h2'], [a, 'h3']] as const) {
        const res = await write().post('/v1/postings').set(asOperator).send(postingBody(company, `${ext}-${runId}`, `Held role ${ext}`)).expect(202);
        ids.push(res.body.postingId as string);
      }
      const email = `held-${runId}@candidates.test`;
      const receipts: string[] = [];
      for (const id of ids) receipts.push((await apply(id, email).expect(202)).body.applicationId as string);
      const outcomes: ApplicationRecord[] = [];
      for (const r of receipts) outcomes.push(await decision(r));
      expect(outcomes.map((o) => [o.status, o.reason])).toEqual([
        ['accepted', undefined],
        ['accepted', undefined],
        ['rejected', 'LIMIT_REACHED'],
      ]);
      expect(outcomes.every((o) => o.basis === 'registry' && o.groupId === group.id)).toBe(true);
      remember(...outcomes);

      // Still held past any grace period: none of the postings has been projected.
      await settle(Math.max(0, 15_000 - (Date.now() - heldSince)));
      expect(await Promise.all(ids.map(projected))).toEqual([false, false, false]);
      const behind = await postingsBehind();
      expect(behind).toBeGreaterThanOrEqual(3);

      // An application published by an older ingest (no registry facts) can only be decided on the
      // projection: it waits, transiently and in order, instead of being rejected.
      const legacyId = uuidv7();
      const legacy = createEvent(
        'application.submitted',
        {
          applicationId: legacyId,
          candidateId: `clegacy${runId}`,
          postingId: ids[0],
          applicant: { name: 'Lee Legacy', email: `legacy-${runId}@candidates.test`, resumeUrl: 'https://cv.example/lee.pdf' },
          receiptTokenHash: sha256Hex('legacy-token'),
          submittedAt: new Date().toISOString(),
        },
        'e2e',
      );
      await producer.send({ topic: 'applications', acks: -1, messages: [{ key: legacy.key, value: JSON.stringify(legacy), headers: { type: legacy.type } }] });
      await settle(6_000);
      expect(await applications().findByApplicationId(legacyId)).toBeNull();
      lagsSeen.push(`held: ${((Date.now() - heldSince) / 1000).toFixed(1)} s with ${behind} posting events unprojected; decisions made meanwhile`);

      release();
      const legacyDecision = await decision(legacyId, 120_000);
      expect(legacyDecision).toMatchObject({ status: 'accepted', basis: 'projection', postingTitle: 'Held role h1' });
      remember(legacyDecision);
      await eventually(async () => ((await Promise.all(ids.map(projected))).every(Boolean) ? true : undefined), 60_000);

      const metrics = (await read().get('/metrics').expect(200)).text;
      expect(metrics).toMatch(/jobstream_application_decisions_total\{basis="projection",status="accepted",reason=""\} [1-9]/);
      expect(metrics).toMatch(/jobstream_application_projection_wait_seconds_count [1-9]/);
      expect(metrics).toMatch(/jobstream_event_handler_failures_total\{group="listings-e2e-[^"]+-history-held-applications",topic="applications",kind="transient"\} [1-9]/);
    } finally {
      release();
      repo.applySnapshots = original;
    }
  }, 600_000);

  it('an application right behind an ATS burst of 3,000 postings is decided on its posting, never POSTING_NOT_FOUND, and its emails name the posting', async () => {
    await useListings('history-burst');
    const company = `burst-${runId}`;
    await write().post('/v1/companies').set(asOperator).send({ companyId: company, name: 'Burst Corp', group: { id: `burst-group-${runId}`, name: 'Burst and affiliates' }, applicationPolicy: policy }).expect(202);
    const started = Date.now();
    for (let b = 0; b < 6; b++) {
      const feed = Array.from({ length: 500 }, (_, i) => postingBody(company, `burst-${b}-${i}`, `Burst role ${b * 500 + i}`));
      const res = await write().post('/v1/postings/batch').set(asOperator).send({ postings: feed }).expect(200);
      expect((res.body.results as { statusCode: number }[]).filter((r) => r.statusCode !== 202)).toEqual([]);
    }
    const fresh = await write().post('/v1/postings').set(asOperator).send(postingBody(company, `fresh-${runId}`, 'Fresh Backend Engineer')).expect(202);
    const postingId = fresh.body.postingId as string;
    const email = `burst-${runId}@candidates.test`;
    const receipt = await apply(postingId, email).expect(202);
    const applied = Date.now();

    const decided = await decision(receipt.body.applicationId as string);

    const behindAtDecision = await postingsBehind();
    const readableAtDecision = await projected(postingId);
    remember(decided);
    expect(decided).toMatchObject({ status: 'accepted', basis: 'registry', postingTitle: 'Fresh Backend Engineer', companyName: 'Burst Corp', postingRevision: 1 });
    expect(decided.reason).toBeUndefined();
    lagsSeen.push(`burst: decided ${((Date.now() - applied) / 1000).toFixed(1)} s after applying, ${(applied - started) / 1000} s after the burst began, with the postings projection ${behindAtDecision} events behind (posting readable: ${readableAtDecision})`);

    // The candidate's email names the posting, not its id.
    const mail = await eventually(async () => {
      const all = (await (await fetch(`${engines.smtpApi}/email`)).json()) as Mail[];
      const mine = all.filter((m) => m.to.some((t) => t.address === email));
      return mine.length > 0 ? mine : undefined;
    }, 60_000);
    expect(mail.map((m) => m.subject)).toEqual(['Your application to Fresh Backend Engineer was received']);
    expect(mail[0].text).not.toMatch(new RegExp(`to ${postingId}`));

    // A company whose profile ingest never recorded (published before it kept them): its policy
    // comes from the projection, once that holds every profile from before the application.
    const older = `older-${runId}`;
    const profile = createEvent('company.upserted', { companyId: older, name: 'Older Co', applicationPolicy: { ...policy, maxApplicationsPerCandidate: 1, scope: 'company' as const } }, 'e2e');
    await producer.send({ topic: 'companies', acks: -1, messages: [{ key: profile.key, value: JSON.stringify(profile), headers: { type: profile.type } }] });
    const olderIds: string[] = [];
    for (const ext of ['o1', 'o2']) olderIds.push((await write().post('/v1/postings').set(asOperator).send(postingBody(older, `${ext}-${runId}`, `Older role ${ext}`)).expect(202)).body.postingId as string);
    const olderEmail = `older-${runId}@candidates.test`;
    const olderReceipts: string[] = [];
    for (const id of olderIds) olderReceipts.push((await apply(id, olderEmail).expect(202)).body.applicationId as string);
    const olderOutcomes: ApplicationRecord[] = [];
    for (const r of olderReceipts) olderOutcomes.push(await decision(r, 120_000));
    expect(olderOutcomes.map((o) => [o.status, o.reason, o.companyVersion])).toEqual([
      ['accepted', undefined, undefined],
      ['rejected', 'LIMIT_REACHED', undefined],
    ]);
    remember(...olderOutcomes);
  }, 600_000);

  it('a replay of the applications topic into a fresh listings database decides every application the same way', async () => {
    await notifier?.close(); // the replay re-publishes the same outcome ids; no mail is wanted from them
    notifier = undefined;
    // Decided by two listings (burst, held): each decision as it was stored where it was made.
    const live = decidedIds.map((id) => stored.get(id) ?? null);
    await listings?.close();
    listings = undefined;
    // The topics are shared by every e2e file and keep every run's history (FerretDB makes a
    // projection of all of it slow), so the replay starts where this file began: its own history,
    // which holds every application it decides and everything they were decided on.
    const replayGroup = `listings-e2e-${runId}-history-replay`;
    for (const [group, topics] of [[replayGroup, replayTopics.filter((t) => t !== 'applications')], [`${replayGroup}-applications`, ['applications']]] as const) {
      for (const topic of topics) await admin.setOffsets({ groupId: group, topic, partitions: startOffsets.get(topic)! });
    }
    const { app: replay } = await startListings('history-replay', { CONSUMER_FROM_BEGINNING: 'earliest' });
    try {
      const replayed = replay.get(ApplicationsRepository, { strict: false });
      const again = await eventually(async () => {
        const docs = await Promise.all(decidedIds.map((id) => replayed.findByApplicationId(id)));
        return docs.every(Boolean) ? (docs as ApplicationRecord[]) : undefined;
      }, 300_000, 500);
      const view = (d: ApplicationRecord | null) => d && { id: d._id, status: d.status, reason: d.reason, basis: d.basis, groupId: d.groupId, postingRevision: d.postingRevision, companyVersion: d.companyVersion, outcomeEventId: d.outcomeEventId };
      expect(again.map(view)).toEqual(live.map(view));
      expect(again.map((d) => d.status)).toEqual(['accepted', 'accepted', 'rejected', 'accepted', 'accepted', 'accepted', 'rejected']);
    } finally {
      await replay.close();
    }
  }, 600_000);
});
