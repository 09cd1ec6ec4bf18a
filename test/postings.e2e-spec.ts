import type { INestApplication } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import request from 'supertest';
import { Kafka, logLevel } from 'kafkajs';
import { createEvent, validate, type PostingSnapshot } from '@jobstream/contracts';
import { syncListings, asOperator, asRecruiter, eventually, startIngest, startListings, testKeys, waitReady } from './support/apps';
import { engines, runId } from './support/engines';

const company = `pc-${runId}`;
const base = {
  title: 'Backend Engineer Intern',
  location: 'Singapore',
  workplaceType: 'on-site',
  employmentType: 'internship',
  description: 'Our Recommendation Architecture Team builds the recommendation system.',
  requiredSkills: ['React', 'TypeScript', 'JavaScript'],
  hiringTeam: [{ name: 'Rita Recruiter', email: 'rita@example.com' }],
};

describe('postings: write API → postings topic → listings read API', () => {
  let ingest: INestApplication;
  let listings: INestApplication;
  const kafka = new Kafka({ clientId: 'e2e-postings', brokers: [engines.kafkaBrokers], sasl: engines.kafkaSasl, logLevel: logLevel.NOTHING });
  const producer = kafka.producer();

  beforeAll(async () => {
    ingest = await startIngest({ POSTING_EXPIRY_SWEEP_MS: process.env.SWEEP ?? '500' });
    ({ app: listings } = await startListings('postings', { CONSUMER_FROM_BEGINNING: 'latest' }));
    await producer.connect();
    await Promise.all([waitReady(ingest), waitReady(listings)]);
    await syncListings(ingest, listings);
    await write().post('/v1/companies').set(asOperator).send({ companyId: company, name: 'Tiktok Postings', headquarters: 'Los Angeles' }).expect(202);
  });

  afterAll(async () => {
    await producer.disconnect();
    await listings?.close();
    await ingest?.close();
  });

  const write = () => request(ingest.getHttpServer());
  const read = () => request(listings.getHttpServer());
  const createPosting = (body: Record<string, unknown>, auth = asOperator) => write().post('/v1/postings').set(auth).send({ companyId: company, ...base, ...body });
  const page = (id: string, check: (b: { posting: PostingSnapshot } & Record<string, unknown>) => boolean) =>
    eventually(async () => {
      const res = await read().get(`/v1/postings/${id}`);
      return res.status === 200 && check(res.body) ? (res.body as { posting: PostingSnapshot } & Record<string, unknown>) : undefined;
    });
  const searchIds = async (query: Record<string, string>): Promise<string[]> => {
    const ids: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 100; pages++) {
      const res = await read().get('/v1/postings').query({ ...query, ...(cursor ? { cursor } : {}) }).expect(200);
      ids.push(...res.body.items.map((i: PostingSnapshot) => i.postingId));
      cursor = res.body.nextCursor ?? undefined;
      if (!cursor) return ids;
    }
    throw new Error('too many pages');
  };
  /** Search reads its own projection (OpenSearch), which trails the page by a batch and a refresh: poll until it settles, then assert. */
  const expectSearch = async (query: Record<string, string>, expected: string[] | number) => {
    const matches = (ids: string[]) => (typeof expected === 'number' ? ids.length === expected : JSON.stringify(ids) === JSON.stringify(expected));
    const ids = await eventually(async () => {
      const got = await searchIds(query);
      return matches(got) ? got : undefined;
    }, 60_000, 300).catch(() => searchIds(query));
    if (typeof expected === 'number') expect(ids).toHaveLength(expected);
    else expect(ids).toEqual(expected);
  };

  it('walks the lifecycle: draft → published → updated → closed, each step reaching the read API', async () => {
    const token = `life${runId}`;
    const created = await createPosting({ externalId: `life-${runId}`, status: 'draft', title: `Backend Engineer ${token}` }).expect(202);
    const id = created.body.postingId as string;
    expect(created.body).toMatchObject({ revision: 1, status: 'draft', result: 'created' });
    await read().get(`/v1/postings/${id}`).expect(404); // drafts are not public

    await write().post(`/v1/postings/${id}/publish`).set(asOperator).expect(202);
    let body = await page(id, (b) => b.posting.status === 'published');
    expect(body.posting.revision).toBe(2);
    expect(body.posting.postedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(body).toMatchObject({ company: { companyId: company, name: 'Tiktok Postings' }, counters: { totalViews: 0, applyClicks: 0 }, reviews: { count: 0 } });
    expect(JSON.stringify(body)).not.toContain('rita@example.com'); // hiring team never on read APIs
    await expectSearch({ q: token }, [id]);

    await write().patch(`/v1/postings/${id}`).set(asOperator).send({ location: 'Tokyo' }).expect(202);
    body = await page(id, (b) => b.posting.location === 'Tokyo');
    expect(body.posting.revision).toBe(3);
    await expectSearch({ q: token, location: 'tokyo' }, [id]);

    await write().post(`/v1/postings/${id}/close`).set(asOperator).expect(202);
    body = await page(id, (b) => b.posting.status === 'closed');
    expect(body.posting.closedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    await expectSearch({ q: token }, []); // closed leaves search, stays readable by id

    const conflict = await write().patch(`/v1/postings/${id}`).set(asOperator).send({ title: 'Reopened?' }).expect(409);
    expect(conflict.body.message).toContain('closed');
    await write().post(`/v1/postings/${id}/publish`).set(asOperator).expect(409);
    await write().post(`/v1/postings/${id}/close`).set(asOperator).expect(200);
    await write().patch(`/v1/postings/does-not-exist-${runId}`).set(asOperator).send({ title: 'x' }).expect(404);
  });

  it('expires postings past expiresAt through the sweep (posting.expired)', async () => {
    const created = await createPosting({ externalId: `exp-${runId}`, title: `Expiring ${runId}`, expiresAt: new Date(Date.now() + 1500).toISOString() }).expect(202);
    const body = await page(created.body.postingId, (b) => b.posting.status === 'expired');
    expect(body.posting.closedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    await expectSearch({ q: `expiring ${runId}` }, []);
  });

  it('gives a retrying ATS the same posting (200 for the repeat), even when repeats race', async () => {
    const first = await createPosting({ externalId: `ats-${runId}` }).expect(202);
    const again = await createPosting({ externalId: `ats-${runId}` }).expect(200);
    expect(again.body).toMatchObject({ postingId: first.body.postingId, result: 'unchanged', revision: 1 });
    const changed = await createPosting({ externalId: `ats-${runId}`, title: 'Backend Engineer (changed)' }).expect(202);
    expect(changed.body).toMatchObject({ postingId: first.body.postingId, result: 'updated', revision: 2 });

    const racing = await Promise.all(Array.from({ length: 6 }, () => createPosting({ externalId: `race-${runId}` })));
    const ids = new Set(racing.map((r) => r.body.postingId));
    expect(ids.size).toBe(1);
    expect(racing.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 202]);
  });

  it('keeps recruiters to their own companies and changes nothing for them elsewhere', async () => {
    const own = testKeys.recruiterCompanies[0];
    const mine = await write().post('/v1/postings').set(asRecruiter).send({ companyId: own, externalId: `r-${runId}`, ...base }).expect(202);
    await write().post('/v1/postings').set(asRecruiter).send({ companyId: company, externalId: `r2-${runId}`, ...base }).expect(403);
    const theirs = await createPosting({ externalId: `theirs-${runId}`, title: `Theirs ${runId}` }).expect(202);
    await write().patch(`/v1/postings/${theirs.body.postingId}`).set(asRecruiter).send({ title: 'Hijacked' }).expect(403);
    await write().post(`/v1/postings/${theirs.body.postingId}/close`).set(asRecruiter).expect(403);
    await write().patch(`/v1/postings/${mine.body.postingId}`).set(asRecruiter).send({ title: 'Mine, edited' }).expect(202);
    await write().post('/v1/postings').send({ companyId: own, externalId: `anon-${runId}`, ...base }).expect(401);
    const body = await page(theirs.body.postingId, () => true);
    expect(body.posting.title).toBe(`Theirs ${runId}`);
    expect(body.posting.status).toBe('published');
  });

  it('answers bad input with 400s naming the fields', async () => {
    const bad = await createPosting({ externalId: `bad-${runId}`, workplaceType: 'moon', salary: 1, title: '' }).expect(400);
    expect(bad.body.issues.map((i: { path: string }) => i.path)).toEqual(expect.arrayContaining(['/workplaceType', '/salary', '/title']));
    // A pay range runs upwards, and no amount is beyond any currency's (the index's long field refused 1.1e43 after a 202).
    const upsideDown = { min: 90_000, max: 60_000, currency: 'EUR', interval: 'year' };
    const down = await createPosting({ externalId: `pay-${runId}`, payRange: upsideDown }).expect(400);
    expect(down.body.issues).toEqual([{ path: '/payRange/max', message: 'must be at least min (90000)' }]);
    const huge = await createPosting({ externalId: `pay-${runId}`, payRange: { ...upsideDown, min: 1.1e43, max: 1.1e43 } }).expect(400);
    expect(huge.body.issues.map((i: { path: string }) => i.path)).toEqual(['/payRange/min', '/payRange/max']);
    const inBatch = await write().post('/v1/postings/batch').set(asOperator).send({ postings: [{ companyId: company, ...base, externalId: `pay-${runId}`, payRange: upsideDown }] }).expect(200);
    expect(inBatch.body.results[0]).toMatchObject({ statusCode: 400, issues: [{ path: '/payRange/max' }] });
    const fine = await createPosting({ externalId: `pay-${runId}`, payRange: { ...upsideDown, max: 90_000 } }).expect(202);
    await write().patch(`/v1/postings/${fine.body.postingId}`).set(asOperator).send({ payRange: upsideDown }).expect(400);
    const q = await read().get('/v1/postings').query({ limit: '500' }).expect(400);
    expect(q.body.message).toContain('/limit');
    await read().get('/v1/postings?q[$gt]=').expect(400);
    await read().get('/v1/postings').query({ cursor: 'garbage' }).expect(400);
    await read().get('/v1/postings').query({ colour: 'red' }).expect(400);
    await read().get(`/v1/postings/nope-${runId}`).expect(404);
  });

  describe('an ATS feed of 1,000 postings', () => {
    const feedCompanies = [`feed-a-${runId}`, `feed-b-${runId}`];
    const token = `feed${runId}`;
    const locations = ['Singapore', 'Tokyo', 'Los Angeles', 'Berlin', 'São Paulo'];
    const workplaces = ['on-site', 'hybrid', 'remote'];
    const employments = ['full-time', 'part-time', 'contract', 'internship', 'temporary'];
    const skillSets = [['React', 'TypeScript'], ['Go', 'Kafka'], ['TypeScript', 'Node.js', 'Kafka'], ['Python']];
    const item = (i: number) => ({
      companyId: feedCompanies[i % 2],
      externalId: `job-${i}`,
      title: `Engineer ${token} number ${i}`,
      location: locations[i % 5],
      workplaceType: workplaces[i % 3],
      employmentType: employments[i % 5 === 0 ? 0 : i % 4],
      requiredSkills: skillSets[i % 4],
      description: `Posting ${i} of the feed`,
      hiringTeam: [{ name: 'Feed Recruiter', email: `feed${i % 3}@example.com` }],
    });
    const items = Array.from({ length: 1000 }, (_, i) => item(i));
    const ids = new Map<number, string>();

    beforeAll(async () => {
      for (const c of feedCompanies) await write().post('/v1/companies').set(asOperator).send({ companyId: c, name: `Feed Co ${c.slice(0, 6)}` }).expect(202);
      for (let start = 0; start < items.length; start += 500) {
        const res = await write().post('/v1/postings/batch').set(asOperator).send({ postings: items.slice(start, start + 500) }).expect(200);
        expect(res.body.summary).toEqual({ created: 500 });
        res.body.results.forEach((r: { postingId: string }, i: number) => ids.set(start + i, r.postingId));
      }
      // Polled with one cheap count, not by paging the search, so the polling doesn't slow the projection down.
      const postingsCollection = listings.get<Connection>(getConnectionToken()).collection('postings');
      const started = Date.now();
      await eventually(async () => ((await postingsCollection.countDocuments({ companyId: { $in: feedCompanies } })) === 1000 ? true : undefined), 150_000, 2000);
      process.stdout.write(`feed of 1,000 postings projected in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
      await expectSearch({ q: token, limit: '100' }, 1000);
    }, 240_000);

    it('creates no duplicates when the feed is sent again, and answers per item', async () => {
      const mixed = [items[0], { ...items[1], title: `Engineer ${token} number 1 (v2)` }, { companyId: feedCompanies[0], externalId: 'broken' }, items[3]];
      const res = await write().post('/v1/postings/batch').set(asOperator).send({ postings: mixed }).expect(200);
      expect(res.body.results.map((r: { statusCode: number; result?: string }) => [r.statusCode, r.result])).toEqual([
        [200, 'unchanged'],
        [202, 'updated'],
        [400, undefined],
        [200, 'unchanged'],
      ]);
      expect(res.body.results[1].postingId).toBe(ids.get(1));
      expect(res.body.results[2].message).toContain('/title is required');
      const scoped = await write().post('/v1/postings/batch').set(asRecruiter).send({ postings: [items[0]] }).expect(200);
      expect(scoped.body.results[0].statusCode).toBe(403);
      await write().post('/v1/postings/batch').set(asOperator).send({ postings: Array.from({ length: 501 }, (_, i) => item(i)) }).expect(400);
      await expectSearch({ q: token, limit: '100' }, 1000);
    });

    it('pages through every match once, in a stable order, newest first', async () => {
      const pages = await searchIds({ q: token, sort: 'recent', limit: '37' });
      expect(pages).toHaveLength(1000);
      expect(new Set(pages).size).toBe(1000);
      expect(new Set(pages)).toEqual(new Set(ids.values()));
      expect(await searchIds({ q: token, sort: 'recent', limit: '100' })).toEqual(pages); // same order whatever the page size
      // By relevance too every match comes once. (Not the same order in two separate walks: each
      // reads its own point in time, and near-equal BM25 scores can swap when segments merge.)
      const byRelevance = await searchIds({ q: token, limit: '37' });
      expect(byRelevance).toHaveLength(1000);
      expect(new Set(byRelevance)).toEqual(new Set(ids.values()));
    });

    it('applies every filter exactly', async () => {
      const expectIds = (pred: (i: number) => boolean) => new Set([...ids].filter(([i]) => pred(i)).map(([, id]) => id));
      const check = async (query: Record<string, string>, pred: (i: number) => boolean) => {
        const got = await searchIds({ q: token, limit: '100', ...query });
        expect({ query, ids: new Set(got), count: got.length }).toEqual({ query, ids: expectIds(pred), count: expectIds(pred).size });
      };
      await check({ location: 'tokyo' }, (i) => i % 5 === 1);
      await check({ location: 'sao paulo' }, (i) => i % 5 === 4);
      await check({ workplaceType: 'remote' }, (i) => i % 3 === 2);
      await check({ employmentType: 'internship' }, (i) => i % 5 !== 0 && i % 4 === 3);
      await check({ skills: 'TypeScript,Kafka' }, (i) => i % 4 === 2);
      await check({ skills: 'typescript' }, (i) => i % 4 === 0 || i % 4 === 2);
      await check({ companyId: feedCompanies[1], workplaceType: 'hybrid', location: 'Berlin' }, (i) => i % 2 === 1 && i % 3 === 1 && i % 5 === 3);
      await check({ q: `${token} number 7` }, (i) => i === 7);
      await expectSearch({ q: `feed co ${token}` }, 1000); // company name is searchable
      await expectSearch({ q: token, postedAfter: new Date(Date.now() + 60_000).toISOString() }, []);
    });

    it('serves valid schema.org JobPosting JSON-LD, including the remote form', async () => {
      for (const i of [0, 2]) {
        const res = await read().get(`/v1/postings/${ids.get(i)}/jsonld`).expect(200);
        const ld = res.body;
        expect(ld).toMatchObject({ '@context': 'https://schema.org/', '@type': 'JobPosting', title: items[i].title, hiringOrganization: { '@type': 'Organization', name: expect.any(String) } });
        expect(ld.datePosted).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(ld.description).toContain(`Posting ${i} of the feed`);
        if (items[i].workplaceType === 'remote') expect(ld).toMatchObject({ jobLocationType: 'TELECOMMUTE', applicantLocationRequirements: { name: items[i].location } });
        else expect(ld.jobLocation).toMatchObject({ '@type': 'Place', address: { '@type': 'PostalAddress', addressLocality: items[i].location } });
        expect(JSON.stringify(ld)).not.toContain('@example.com');
      }
    });

    it('shows analytics snapshots on the page: counters and company summaries', async () => {
      const postingId = ids.get(5)!;
      const stats = createEvent('posting-stats.updated', { postingId, companyId: feedCompanies[1], totalViews: 42, uniqueViewers: 30, applyClicks: 7, scraps: 3, mockApplicants: 2, trendingScore: 9.5, daily: [{ date: '2026-11-02', views: 42, applyClicks: 7, scraps: 3, mockApplicants: 2 }], updatedAt: new Date().toISOString() }, 'e2e');
      const insights = createEvent('company-insights.updated', {
        companyId: feedCompanies[1],
        salaries: { dataPoints: 52, byRole: [] },
        reviews: { count: 3, overall: 3.1, workLifeBalance: 1.5, compensation: 2, culture: 1.2, career: 1.8, management: 1, recommendToFriendPercent: 5 },
        interviews: { count: 4, difficulty: 3.5, durationWeeks: [21, 35], experiencePercent: { positive: 0, neutral: 25, negative: 75 }, process: ['Offer'], commonQuestions: ['System Design'] },
        trendingScore: 12,
        updatedAt: new Date().toISOString(),
      }, 'e2e');
      await producer.send({ topic: 'posting-stats', acks: -1, messages: [{ key: postingId, value: JSON.stringify(stats) }] });
      await producer.send({ topic: 'company-insights', acks: -1, messages: [{ key: feedCompanies[1], value: JSON.stringify(insights) }] });
      const body = await page(postingId, (b) => (b.counters as { totalViews: number }).totalViews === 42 && (b.reviews as { count: number }).count === 3);
      expect(body.counters).toMatchObject({ totalViews: 42, applyClicks: 7, mockApplicants: 2, scraps: 3 });
      expect(body.interviews).toMatchObject({ durationWeeks: [21, 35], experiencePercent: { negative: 75 } });
      expect(body.salaries).toMatchObject({ dataPoints: 52 });
      const top = () => read().get('/v1/postings').query({ q: token, sort: 'trending', limit: '1' }).expect(200).then((r) => r.body.items[0]?.postingId as string | undefined);
      expect(await eventually(async () => ((await top()) === postingId ? postingId : undefined), 30_000).catch(top)).toBe(postingId);
      // A hit carries the counters' totals; their days are analytics' to serve, not every search's.
      const hit = (await read().get('/v1/postings').query({ q: token, sort: 'trending', limit: '1' }).expect(200)).body.items[0];
      expect(hit.stats).toMatchObject({ totalViews: 42, applyClicks: 7, trendingScore: 9.5 });
      expect(hit.stats).not.toHaveProperty('daily');
    });
  });

  it('publishes events that validate against the contract, hiring team only on the restricted topic', async () => {
    const created = await createPosting({ externalId: `contract-${runId}`, title: `Contract ${runId}` }).expect(202);
    const seen: { topic: string; value: unknown }[] = [];
    const reader = kafka.consumer({ groupId: `contract-reader-${runId}` });
    await reader.connect();
    await reader.subscribe({ topics: ['postings', 'hiring-teams'], fromBeginning: true });
    await reader.run({ eachMessage: async ({ topic, message }) => void (message.key?.toString() === created.body.postingId && seen.push({ topic, value: JSON.parse(message.value!.toString()) })) });
    try {
      await eventually(async () => (seen.length >= 2 ? true : undefined));
    } finally {
      await reader.disconnect();
    }
    const posting = seen.find((s) => s.topic === 'postings')!.value as { type: string; data: unknown };
    const team = seen.find((s) => s.topic === 'hiring-teams')!.value as { data: { members: unknown[] } };
    expect(posting.type).toBe('posting.published');
    expect(JSON.stringify(posting)).not.toContain('rita@example.com');
    expect(team.data.members).toEqual(base.hiringTeam);
    const { PostingPublished } = await import('@jobstream/contracts');
    expect(validate(PostingPublished, posting.data).ok).toBe(true);
  });
});
