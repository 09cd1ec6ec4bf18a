import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import { createEvent, topicOf, type EventEnvelope } from '@jobstream/contracts';
import { eventually, startAnalytics, startIngest, waitReady } from './support/apps';
import { engines, runId } from './support/engines';

type Kind = 'view' | 'apply-click' | 'scrap' | 'unscrap' | 'mock-application';
const TYPE_OF: Record<Kind, EventEnvelope['type']> = {
  view: 'posting.viewed',
  'apply-click': 'posting.apply-clicked',
  scrap: 'posting.scrapped',
  unscrap: 'posting.unscrapped',
  'mock-application': 'posting.mock-applied',
};

/** What the counters must be: the semantics of DESIGN.md applied to the distinct events in order. */
function expectedCounters(events: readonly { postingId: string; viewerId: string; kind: Kind }[]) {
  const byPosting = new Map<string, { views: number; viewers: Set<string>; clicks: number; scrappers: Set<string>; mock: Set<string> }>();
  for (const e of events) {
    const s = byPosting.get(e.postingId) ?? { views: 0, viewers: new Set(), clicks: 0, scrappers: new Set(), mock: new Set() };
    byPosting.set(e.postingId, s);
    if (e.kind === 'view') {
      s.views++;
      s.viewers.add(e.viewerId);
    } else if (e.kind === 'apply-click') s.clicks++;
    else if (e.kind === 'scrap') s.scrappers.add(e.viewerId);
    else if (e.kind === 'unscrap') s.scrappers.delete(e.viewerId);
    else s.mock.add(e.viewerId);
  }
  return new Map(
    [...byPosting].map(([id, s]) => [id, { totalViews: s.views, uniqueViewers: s.viewers.size, applyClicks: s.clicks, scraps: s.scrappers.size, mockApplicants: s.mock.size }]),
  );
}

/** A deterministic mix of kinds and viewers over `postings`. */
function engagementStream(postings: readonly string[], count: number): EventEnvelope[] {
  const kinds: Kind[] = ['view', 'view', 'view', 'view', 'view', 'view', 'apply-click', 'scrap', 'unscrap', 'mock-application'];
  return Array.from({ length: count }, (_, i) => {
    const kind = kinds[((Math.floor(i / postings.length) * 2654435761) >>> 0) % kinds.length]; // a hash, so every posting sees every kind
    const event: EventEnvelope = createEvent(TYPE_OF[kind], { postingId: postings[i % postings.length], viewerId: `viewer-${(i * 31) % 53}` }, 'e2e');
    return event;
  });
}

const kindOf = (e: EventEnvelope): Kind => (Object.keys(TYPE_OF) as Kind[]).find((k) => TYPE_OF[k] === e.type)!;

describe('analytics: exact engagement counters, aggregates, trending and snapshots', () => {
  let ingest: INestApplication;
  let analytics: INestApplication;
  const kafka = new Kafka({ clientId: 'e2e-analytics', brokers: [engines.kafkaBrokers], sasl: engines.kafkaSasl, logLevel: logLevel.NOTHING });
  const producer: Producer = kafka.producer();
  const readers: Consumer[] = [];

  beforeAll(async () => {
    ingest = await startIngest({ INGEST_RATE_LIMIT_KEY_PREFIX: `e2e:${runId}:ratelimit:` });
    ({ app: analytics } = await startAnalytics('main'));
    await producer.connect();
    await Promise.all([waitReady(ingest), waitReady(analytics)]);
  });

  afterAll(async () => {
    for (const r of readers) await r.disconnect().catch(() => undefined);
    await producer.disconnect();
    await analytics?.close();
    await ingest?.close();
  });

  const http = () => request(ingest.getHttpServer());
  const stats = (postingId: string) => request(analytics.getHttpServer()).get(`/v1/postings/${postingId}/stats`);
  /** Produces events straight to their topic, as another producer (or a redelivery) would. */
  const send = async (events: readonly EventEnvelope[]) => {
    for (let i = 0; i < events.length; i += 1000) {
      const chunk = events.slice(i, i + 1000);
      await producer.send({
        topic: topicOf(chunk[0].type).name,
        acks: -1,
        messages: chunk.map((e) => ({ key: e.key, value: JSON.stringify(e), headers: { type: e.type, schemaVersion: '1', eventId: e.id } })),
      });
    }
  };
  const countersMatch = async (expected: Map<string, Record<string, number>>, app: () => request.Agent | ReturnType<typeof request>, timeoutMs: number) =>
    eventually(async () => {
      for (const [postingId, want] of expected) {
        const res = await (app() as ReturnType<typeof request>).get(`/v1/postings/${postingId}/stats`);
        if (res.status !== 200) throw new Error(`${postingId}: ${res.status}`);
        const { totalViews, applyClicks, scraps, mockApplicants } = res.body as Record<string, number>;
        const got = { totalViews, applyClicks, scraps, mockApplicants };
        const { uniqueViewers: _u, ...exact } = want;
        if (JSON.stringify(got) !== JSON.stringify(exact)) throw new Error(`${postingId}: got ${JSON.stringify(got)}, want ${JSON.stringify(exact)}`);
      }
      return true;
    }, timeoutMs, 500);

  it('counts the public engagement routes: scraps per viewer, mock applicants distinct', async () => {
    const p = `posting-${runId}-routes`;
    const accepted = (res: request.Response) => expect(res.body.eventId).toMatch(/^[0-9a-f-]{36}$/);
    accepted(await http().post(`/v1/postings/${p}/views`).send({ viewerId: 'v1' }).expect(202));
    accepted(await http().post(`/v1/postings/${p}/views`).send({ viewerId: 'v1' }).expect(202));
    accepted(await http().post(`/v1/postings/${p}/views`).send({ viewerId: 'v2' }).expect(202));
    accepted(await http().post(`/v1/postings/${p}/apply-clicks`).send({ viewerId: 'v1' }).expect(202));
    accepted(await http().post(`/v1/postings/${p}/scraps`).send({ viewerId: 'v1' }).expect(202));
    accepted(await http().put(`/v1/postings/${p}/scraps/v1`).expect(202)); // scrap twice = 1
    accepted(await http().put(`/v1/postings/${p}/scraps/v2`).expect(202));
    accepted(await http().delete(`/v1/postings/${p}/scraps/v2`).expect(202));
    accepted(await http().delete(`/v1/postings/${p}/scraps/v3`).expect(202)); // never scrapped: no-op
    accepted(await http().post(`/v1/postings/${p}/mock-applications`).send({ viewerId: 'v1' }).expect(202));
    const batch = await http()
      .post('/v1/engagement/batch')
      .send({ events: [{ type: 'mock-application', postingId: p, viewerId: 'v1' }, { type: 'mock-application', postingId: p, viewerId: 'v2' }, { type: 'view', postingId: p, viewerId: 'someone@example.com' }] })
      .expect(202);
    expect(batch.body).toMatchObject({ accepted: 2, rejected: 1 });
    expect(batch.body.results[2].issues[0].path).toBe('/events/2/viewerId');

    const body = await eventually(async () => {
      const res = await stats(p);
      return res.status === 200 && res.body.mockApplicants === 2 && res.body.totalViews === 3 ? res.body : undefined;
    });
    expect(body).toMatchObject({ postingId: p, totalViews: 3, uniqueViewers: 2, applyClicks: 1, scraps: 1, mockApplicants: 2 });
    expect(body.daily).toHaveLength(30);
    expect(body.daily[29]).toEqual({ date: new Date().toISOString().slice(0, 10), views: 3, applyClicks: 1, scraps: 2, mockApplicants: 2 });
  });

  it('refuses bad engagement and contribution input with 400 naming the fields', async () => {
    const email = await http().post('/v1/postings/p1/views').send({ viewerId: 'a@b.c' }).expect(400);
    expect(email.body.issues[0].path).toBe('/viewerId');
    const extra = await http().post('/v1/postings/p1/views').send({ viewerId: 'ok', email: 'x' }).expect(400);
    expect(extra.body.message).toContain('/email is not an allowed field');
    await http().post('/v1/postings/$bad/views').send({ viewerId: 'ok' }).expect(400);
    const none = await http().post('/v1/engagement/batch').send({ events: [{ type: 'like', postingId: 'p', viewerId: 'v' }] }).expect(400);
    expect(none.body.issues[0].path).toBe('/events/0/type');
    await http().post('/v1/engagement/batch').send({ events: Array.from({ length: 501 }, () => ({ type: 'view', postingId: 'p', viewerId: 'v' })) }).expect(400);
    const salary = await http().post('/v1/companies/c1/salaries').send({ level: 'L3', title: 'Dev', baseSalary: -1, currency: 'usd', bogus: 1 }).expect(400);
    expect((salary.body.issues as { path: string }[]).map((i) => i.path)).toEqual(
      expect.arrayContaining(['/location', '/baseSalary', '/currency', '/bogus', '/yearsOfExperience', '/source']),
    );
    const review = await http().post('/v1/companies/c1/reviews').send({ overall: 6 }).expect(400);
    expect((review.body.issues as { path: string }[]).map((i) => i.path)).toEqual(expect.arrayContaining(['/overall', '/pros', '/recommendToFriend']));
  });

  it('counts 10,000 events exactly although 5% are redelivered (some after the state they changed moved on)', async () => {
    const postings = Array.from({ length: 20 }, (_, i) => `posting-${runId}-bulk-${i}`);
    const events = engagementStream(postings, 10_000);
    const withRedeliveries: EventEnvelope[] = [];
    for (let i = 0; i < events.length; i += 1000) {
      const chunk = events.slice(i, i + 1000);
      withRedeliveries.push(...chunk, ...chunk.filter((_, k) => k % 20 === 0)); // the same envelopes again
    }
    expect(withRedeliveries.length).toBe(10_500);
    await send(withRedeliveries);
    const expected = expectedCounters(events.map((e) => ({ postingId: e.key, viewerId: (e.data as { viewerId: string }).viewerId, kind: kindOf(e) })));
    await countersMatch(expected, () => request(analytics.getHttpServer()), 120_000);
    for (const [postingId, want] of expected) {
      const body = (await stats(postingId).expect(200)).body;
      expect(body).toMatchObject({ ...want, uniqueViewers: expect.any(Number) });
      expect(Math.abs(body.uniqueViewers - want.uniqueViewers)).toBeLessThanOrEqual(1); // HyperLogLog: an estimate
    }
  }, 180_000);

  it('publishes posting-stats snapshots that show the counters', async () => {
    const p = `posting-${runId}-snap`;
    await send(engagementStream([p], 40));
    const latest = new Map<string, Record<string, unknown>>();
    const reader = kafka.consumer({ groupId: `e2e-snap-${runId}` });
    readers.push(reader);
    await reader.connect();
    await reader.subscribe({ topic: 'posting-stats', fromBeginning: true });
    await reader.run({
      eachMessage: async ({ message }) => {
        if (message.key?.toString() !== p || !message.value) return;
        latest.set(p, (JSON.parse(message.value.toString()) as { data: Record<string, unknown> }).data);
      },
    });
    const counters = await eventually(async () => {
      const res = await stats(p);
      return res.status === 200 && res.body.totalViews + res.body.applyClicks > 0 ? res.body : undefined;
    });
    const snapshot = await eventually(async () => {
      const s = latest.get(p);
      return s && s.totalViews === counters.totalViews && s.applyClicks === counters.applyClicks ? s : undefined;
    }, 30_000);
    expect(snapshot).toMatchObject({ postingId: p, scraps: counters.scraps, mockApplicants: counters.mockApplicants, daily: expect.any(Array) });
  });

  it('aggregates salaries, reviews and interviews exactly once each, as DESIGN.md defines them', async () => {
    const c = `company-${runId}-insights`;
    const salary = (base: number, extra: Record<string, number> = {}) => ({ level: 'Junior/L3', title: 'Data Analyst', location: 'Singapore', baseSalary: base, currency: 'USD', yearsOfExperience: 1, source: 'offer', ...extra });
    await http().post(`/v1/companies/${c}/salaries`).send({ reportId: `s1-${runId}`, ...salary(100000, { stockPerYear: 20000, bonus: 10000 }) }).expect(202);
    await http().post(`/v1/companies/${c}/salaries`).send(salary(125000)).expect(202);
    await http().post(`/v1/companies/${c}/salaries`).send(salary(150000, { bonus: 30000 })).expect(202);
    await http().post(`/v1/companies/${c}/salaries`).send({ ...salary(90000), level: 'Senior/L5', title: 'Engineer' }).expect(202);
    // A retried report (same id, new event) counts once.
    await http().post(`/v1/companies/${c}/salaries`).send({ reportId: `s1-${runId}`, ...salary(100000, { stockPerYear: 20000, bonus: 10000 }) }).expect(202);
    const review = (overall: number, recommend: boolean) => ({ overall, workLifeBalance: 1.5, compensation: 2, culture: 1, career: 2, management: 1, recommendToFriend: recommend, pros: 'pay', cons: 'hours' });
    for (const [o, r] of [[3, true], [3.5, false], [3, false]] as const) await http().post(`/v1/companies/${c}/reviews`).send(review(o, r)).expect(202);
    const interview = (difficulty: number, durationWeeks: number, experience: string, steps: string[]) => ({ difficulty, durationWeeks, experience, steps, questionCategories: ['Coding/Algorithm', 'System Design'], outcome: 'no-offer' });
    await http().post(`/v1/companies/${c}/interviews`).send(interview(3, 20, 'negative', ['Recruiter Screen', 'Onsite'])).expect(202);
    await http().post(`/v1/companies/${c}/interviews`).send(interview(4, 24, 'negative', ['Recruiter Screen', 'Offer'])).expect(202);
    await http().post(`/v1/companies/${c}/interviews`).send(interview(3, 30, 'neutral', ['Recruiter Screen'])).expect(202);
    await http().post(`/v1/companies/${c}/interviews`).send(interview(4, 40, 'negative', ['Recruiter Screen', 'Onsite'])).expect(202);

    const api = () => request(analytics.getHttpServer());
    const interviews = await eventually(async () => {
      const res = await api().get(`/v1/companies/${c}/interviews`);
      return res.body.count === 4 ? res.body : undefined;
    });
    expect(interviews).toEqual({
      companyId: c,
      count: 4,
      difficulty: 3.5,
      durationWeeks: [23, 32.5],
      experiencePercent: { positive: 0, neutral: 25, negative: 75 },
      process: ['Recruiter Screen', 'Onsite', 'Offer'],
      commonQuestions: ['Coding/Algorithm', 'System Design'],
    });
    const salaries = await eventually(async () => {
      const res = await api().get(`/v1/companies/${c}/salaries`);
      return res.body.dataPoints === 4 ? res.body : undefined;
    });
    expect(salaries.byRole[0]).toEqual({
      level: 'Junior/L3', title: 'Data Analyst', currency: 'USD', reports: 3,
      medianTotal: 130000, rangeTotal: [127500, 155000], medianBase: 125000, medianStock: 20000, medianBonus: 20000,
    });
    expect(salaries.overall).toMatchObject({ reports: 4, medianTotal: 127500, medianBase: 112500 });
    const reviews = await eventually(async () => {
      const res = await api().get(`/v1/companies/${c}/reviews?limit=2`);
      return res.body.summary?.count === 3 ? res.body : undefined;
    });
    expect(reviews.summary).toEqual({ count: 3, overall: 3.2, workLifeBalance: 1.5, compensation: 2, culture: 1, career: 2, management: 1, recommendToFriendPercent: 33 });
    expect(reviews.reviews).toHaveLength(2);
    expect(reviews.reviews[0].overall).toBe(3); // latest first
    const page2 = await api().get(`/v1/companies/${c}/reviews?limit=2&cursor=${reviews.nextCursor}`).expect(200);
    expect(page2.body.reviews).toHaveLength(1);
    expect(page2.body.nextCursor).toBeNull();
    await api().get(`/v1/companies/${c}/reviews?limit=500`).expect(400);

    // The company-insights snapshot carries the same summaries.
    const reader = kafka.consumer({ groupId: `e2e-insights-${runId}` });
    readers.push(reader);
    let snapshot: Record<string, unknown> | undefined;
    await reader.connect();
    await reader.subscribe({ topic: 'company-insights', fromBeginning: true });
    await reader.run({
      eachMessage: async ({ message }) => {
        if (message.key?.toString() === c && message.value) snapshot = (JSON.parse(message.value.toString()) as { data: Record<string, unknown> }).data;
      },
    });
    const s = await eventually(async () => ((snapshot?.interviews as { count?: number } | undefined)?.count === 4 && (snapshot?.salaries as { dataPoints?: number }).dataPoints === 4 ? snapshot : undefined));
    expect(s).toMatchObject({ companyId: c, reviews: reviews.summary, salaries: { dataPoints: 4 } });
  });

  it('ranks trending postings and companies by weighted, decayed engagement', async () => {
    const [hot, cold] = [`posting-${runId}-hot`, `posting-${runId}-cold`];
    const [hotCo, coldCo] = [`co-${runId}-hot`, `co-${runId}-cold`];
    const posting = (postingId: string, companyId: string) =>
      createEvent('posting.published', { postingId, companyId, externalId: postingId, revision: 1, status: 'published', title: `Job ${postingId}`, location: 'Singapore', workplaceType: 'on-site', employmentType: 'full-time', description: 'd' }, 'e2e');
    // Engagement first, postings later: the company still gets the posting's earlier score.
    await send(Array.from({ length: 4 }, (_, i) => createEvent('posting.apply-clicked', { postingId: hot, viewerId: `v${i}` }, 'e2e') as EventEnvelope));
    await send([createEvent('posting.viewed', { postingId: cold, viewerId: 'v1' }, 'e2e'), createEvent('posting.viewed', { postingId: cold, viewerId: 'v2' }, 'e2e')] as EventEnvelope[]);
    await eventually(async () => ((await stats(hot)).body.applyClicks === 4 ? true : undefined));
    await send([posting(hot, hotCo), posting(cold, coldCo)] as EventEnvelope[]);
    const api = () => request(analytics.getHttpServer());
    // The group replays the whole engagement topic, so earlier runs' postings trend too: compare ours.
    const items = await eventually(async () => {
      const res = await api().get('/v1/trending/postings?limit=100');
      const ids = (res.body.items as { postingId: string }[]).map((i) => i.postingId);
      return ids.includes(hot) ? (res.body.items as { postingId: string; score: number; title: string }[]) : undefined;
    });
    const hotItem = items.find((i) => i.postingId === hot)!;
    expect(hotItem.title).toBe(`Job ${hot}`);
    expect(hotItem.score).toBeGreaterThan(19.9); // 4 clicks × weight 5, barely decayed
    expect(hotItem.score).toBeLessThanOrEqual(20);
    const coldIndex = items.findIndex((i) => i.postingId === cold);
    if (coldIndex >= 0) expect(coldIndex).toBeGreaterThan(items.indexOf(hotItem));
    const coldStats = (await stats(cold).expect(200)).body;
    expect(coldStats.trendingScore).toBeGreaterThan(1.99); // 2 views × weight 1
    expect(coldStats.trendingScore).toBeLessThanOrEqual(2);
    const companies = await eventually(async () => {
      const res = await api().get('/v1/trending/companies?limit=100');
      const ids = (res.body.items as { companyId: string }[]).map((i) => i.companyId);
      return ids.includes(hotCo) ? (res.body.items as { companyId: string; score: number }[]) : undefined;
    });
    // Engagement arrived before the posting named its company: the company still got it all.
    expect(companies.find((i) => i.companyId === hotCo)!.score).toBeCloseTo(hotItem.score, 1);
    const coldCoIndex = companies.findIndex((i) => i.companyId === coldCo);
    if (coldCoIndex >= 0) expect(coldCoIndex).toBeGreaterThan(companies.findIndex((i) => i.companyId === hotCo));
  });

  it('answers 429 with Retry-After once a client exceeds the public rate limit (counted in Redis)', async () => {
    const limited = await startIngest({ INGEST_PUBLIC_RATE_LIMIT: '3', INGEST_RATE_LIMIT_KEY_PREFIX: `e2e:${runId}:tight:` });
    try {
      await waitReady(limited);
      for (let i = 0; i < 3; i++) await request(limited.getHttpServer()).post('/v1/postings/p-rl/views').send({ viewerId: 'v' }).expect(202);
      const res = await request(limited.getHttpServer()).post('/v1/postings/p-rl/views').send({ viewerId: 'v' }).expect(429);
      expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(res.body.message).toMatch(/Rate limit/);
    } finally {
      await limited.close();
    }
  });
});
