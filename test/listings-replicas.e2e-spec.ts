import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { AssignerProtocol, Kafka, logLevel } from 'kafkajs';
import { ApplicationsRepository, type ApplicationRecord } from '../apps/listings/src/applications/applications.repository';
import { PostingsRepository } from '../apps/listings/src/postings/postings.repository';
import { asOperator, eventually, startIngest, startListings, syncListings, waitReady } from './support/apps';
import { engines, runId } from './support/engines';

/**
 * Two listings replicas at once, on the same consumer groups, database and search alias: they
 * share the partitions of every group (main, applications, search), and whatever replica a reader
 * reaches answers the same. No "run one replica" rule.
 */
describe('two listings replicas at once', () => {
  const kafka = new Kafka({ clientId: 'e2e-replicas', brokers: [engines.kafkaBrokers], sasl: engines.kafkaSasl, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  let ingest: INestApplication;
  const replicas: INestApplication[] = [];
  let groupId = '';
  const write = () => request(ingest.getHttpServer());
  const tag = `repl${runId}`;
  const group = { id: `repl-group-${runId}`, name: 'Replicated and affiliates' };
  const companies = [`repl-a-${runId}`, `repl-b-${runId}`];

  beforeAll(async () => {
    ingest = await startIngest();
    for (let i = 0; i < 2; i++) {
      const started = await startListings('replicas', { CONSUMER_FROM_BEGINNING: 'latest' });
      replicas.push(started.app);
      groupId = started.groupId;
    }
    await admin.connect();
    await Promise.all([waitReady(ingest), ...replicas.map((r) => waitReady(r))]);
    await syncListings(ingest, replicas[0]);
    // Both replicas are members of every group, each with partitions of its own.
    for (const g of [groupId, `${groupId}-applications`, `${groupId}-search-v2`, `${groupId}-search-stats-v2`]) {
      await eventually(async () => {
        const [described] = (await admin.describeGroups([g])).groups;
        const owned = described.members.map((m) => Object.values(AssignerProtocol.MemberAssignment.decode(m.memberAssignment)?.assignment ?? {}).flat().length);
        return described.state === 'Stable' && owned.length === 2 && owned.every((n) => n > 0) ? true : undefined;
      }, 90_000, 500);
    }
  }, 240_000);

  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.close()));
    await ingest?.close();
    await admin.disconnect();
  }, 120_000);

  it('project, index, serve and decide the same whichever replica handled the events', async () => {
    const policy = { maxApplicationsPerCandidate: 2, scope: 'group' as const, consideredInOrderApplied: true };
    for (const c of companies) await write().post('/v1/companies').set(asOperator).send({ companyId: c, name: `Replicated ${c}`, group, applicationPolicy: policy }).expect(202);

    // 120 postings over both companies (keys spread over every partition), a third of them edited
    // and a sixth closed, sent as ATS batches.
    const bodies = Array.from({ length: 120 }, (_, i) => ({
      companyId: companies[i % 2],
      externalId: `r${i}-${runId}`,
      title: `Replica role ${i} ${tag}`,
      location: 'Berlin',
      workplaceType: 'hybrid',
      employmentType: 'full-time',
      description: `Runs on two replicas. ${tag}`,
      hiringTeam: [{ name: 'Rene Replica', email: 'rene@example.com' }],
    }));
    const ids: string[] = [];
    for (let start = 0; start < bodies.length; start += 40) {
      const res = await write().post('/v1/postings/batch').set(asOperator).send({ postings: bodies.slice(start, start + 40) }).expect(200);
      ids.push(...(res.body.results as { postingId: string }[]).map((r) => r.postingId));
    }
    const edited = ids.filter((_, i) => i % 3 === 0);
    const closed = ids.filter((_, i) => i % 6 === 1);
    for (const id of edited) await write().patch(`/v1/postings/${id}`).set(asOperator).send({ title: `Replica role edited ${id.slice(-6)} ${tag}` }).expect(202);
    for (const id of closed) await write().post(`/v1/postings/${id}/close`).set(asOperator).expect(202);
    const expectedStatus = (id: string) => (closed.includes(id) ? 'closed' : 'published');
    const expectedRevision = (id: string) => 1 + (edited.includes(id) ? 1 : 0) + (closed.includes(id) ? 1 : 0);

    // Applications: four candidates, each applying to four open postings of the group at once.
    const open = ids.filter((id) => !closed.includes(id));
    const receipts: { candidate: number; applicationId: string }[] = [];
    for (let candidate = 0; candidate < 4; candidate++) {
      for (const postingId of open.slice(candidate * 4, candidate * 4 + 4)) {
        const res = await write().post(`/v1/postings/${postingId}/applications`).send({ name: `Candidate ${candidate}`, email: `repl-${candidate}-${runId}@candidates.test`, resumeUrl: 'https://cv.example/r.pdf' }).expect(202);
        receipts.push({ candidate, applicationId: res.body.applicationId as string });
      }
    }

    // The store of record holds every posting's last revision (whichever replica projected it).
    const store = replicas[0].get(PostingsRepository, { strict: false });
    await eventually(async () => {
      for (const id of ids) {
        const p = await store.findById(id);
        if (p?.snapshot.revision !== expectedRevision(id)) return undefined;
      }
      return true;
    }, 180_000, 1000);

    // Every page, read from each replica, shows the last revision.
    for (const id of ids) {
      const pages = await eventually(async () => {
        const answers = await Promise.all(replicas.map((r) => request(r.getHttpServer()).get(`/v1/postings/${id}`)));
        return answers.every((a) => a.status === 200 && (a.body as { posting: { revision: number } }).posting.revision === expectedRevision(id)) ? answers : undefined;
      }, 60_000, 250);
      for (const p of pages) expect((p.body as { posting: { status: string } }).posting.status).toBe(expectedStatus(id));
      expect(pages[0].body).toEqual(pages[1].body);
    }

    // Search on either replica: the same open postings, the same order, the same facets.
    const searchAll = async (r: INestApplication) => {
      const items: string[] = [];
      let cursor: string | undefined;
      let facets: unknown;
      do {
        const res = await request(r.getHttpServer()).get('/v1/postings').query({ q: tag, sort: 'recent', limit: '25', ...(cursor ? { cursor } : {}) }).expect(200);
        const body = res.body as { items: { postingId: string }[]; nextCursor: string | null; facets: unknown };
        items.push(...body.items.map((i) => i.postingId));
        facets ??= body.facets;
        cursor = body.nextCursor ?? undefined;
      } while (cursor);
      return { items, facets };
    };
    const [first, second] = await eventually(async () => {
      const both = await Promise.all(replicas.map(searchAll));
      return both.every((b) => b.items.length === open.length) ? both : undefined;
    }, 60_000, 500);
    expect(new Set(first.items)).toEqual(new Set(open));
    expect(second).toEqual(first);

    // Decisions, whichever replica owned the candidate's partition: accepted, accepted, then
    // LIMIT_REACHED, in the order applied.
    const decisions = replicas[0].get(ApplicationsRepository, { strict: false });
    const decided: ApplicationRecord[] = [];
    for (const r of receipts) decided.push(await eventually(async () => (await decisions.findByApplicationId(r.applicationId)) ?? undefined, 90_000, 250));
    for (let candidate = 0; candidate < 4; candidate++) {
      const mine = decided.filter((_, i) => receipts[i].candidate === candidate);
      expect(mine.map((d) => [d.status, d.reason])).toEqual([
        ['accepted', undefined],
        ['accepted', undefined],
        ['rejected', 'LIMIT_REACHED'],
        ['rejected', 'LIMIT_REACHED'],
      ]);
    }
  }, 600_000);
});
