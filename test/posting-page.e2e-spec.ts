import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { asOperator, eventually, startAnalytics, startIngest, startListings, syncListings, waitReady } from './support/apps';
import { runId } from './support/engines';

/** The whole chain behind the posting page: ingest → Kafka → analytics → snapshot topics → listings. */
describe('posting page: engagement and contributions reach the page through analytics', () => {
  let ingest: INestApplication;
  let listings: INestApplication;
  let analytics: INestApplication;
  const companyId = `page-${runId}`;

  beforeAll(async () => {
    ingest = await startIngest();
    ({ app: listings } = await startListings('page', { CONSUMER_FROM_BEGINNING: 'latest' }));
    ({ app: analytics } = await startAnalytics('page', { CONSUMER_FROM_BEGINNING: 'latest', ANALYTICS_SNAPSHOT_INTERVAL_MS: '500' }));
    await Promise.all([waitReady(ingest), waitReady(listings), waitReady(analytics)]);
    await syncListings(ingest, listings);
    // Analytics joined at the end of the topics: it counts a marker's views once it really consumes.
    const marker = `page-marker-${runId}`;
    await eventually(async () => {
      await request(ingest.getHttpServer()).post(`/v1/postings/${marker}/views`).send({ viewerId: 'sync' }).expect(202);
      return (await request(analytics.getHttpServer()).get(`/v1/postings/${marker}/stats`)).status === 200 ? true : undefined;
    }, 60_000, 1000);
  }, 180_000);

  afterAll(async () => {
    await analytics?.close();
    await listings?.close();
    await ingest?.close();
  });

  it('shows the counters and the company summaries within seconds of the events', async () => {
    const w = () => request(ingest.getHttpServer());
    await w().post('/v1/companies').set(asOperator).send({ companyId, name: 'Page Co' }).expect(202);
    const created = await w()
      .post('/v1/postings')
      .set(asOperator)
      .send({ companyId, externalId: 'page-1', title: 'Backend Engineer', location: 'Singapore', workplaceType: 'on-site', employmentType: 'full-time', description: 'x' })
      .expect(202);
    const postingId = created.body.postingId as string;
    for (const viewer of ['v1', 'v2', 'v3', 'v1', 'v2']) await w().post(`/v1/postings/${postingId}/views`).send({ viewerId: viewer }).expect(202);
    for (const viewer of ['v1', 'v2']) await w().post(`/v1/postings/${postingId}/apply-clicks`).send({ viewerId: viewer }).expect(202);
    await w().post(`/v1/postings/${postingId}/scraps`).send({ viewerId: 'v3' }).expect(202);
    await w().post(`/v1/postings/${postingId}/mock-applications`).send({ viewerId: 'v2' }).expect(202);
    await w().post(`/v1/companies/${companyId}/salaries`).send({ level: 'L3', title: 'Backend Engineer', location: 'Singapore', baseSalary: 120000, stockPerYear: 10000, bonus: 5000, currency: 'USD', yearsOfExperience: 2, source: 'offer' }).expect(202);
    await w().post(`/v1/companies/${companyId}/reviews`).send({ overall: 4, workLifeBalance: 3.5, compensation: 4, culture: 4.5, career: 3, management: 3, recommendToFriend: true, pros: 'Team', cons: 'Pace' }).expect(202);
    await w().post(`/v1/companies/${companyId}/interviews`).send({ difficulty: 3, durationWeeks: 4, experience: 'positive', steps: ['Recruiter Screen', 'Onsite'], questionCategories: ['System Design'], outcome: 'offer' }).expect(202);

    const page = await eventually(async () => {
      const res = await request(listings.getHttpServer()).get(`/v1/postings/${postingId}`);
      const b = res.body as { counters?: { totalViews: number; mockApplicants: number }; reviews?: { count: number }; interviews?: { count: number }; salaries?: { dataPoints: number } };
      return res.status === 200 && b.counters?.totalViews === 5 && b.counters.mockApplicants === 1 && b.reviews?.count === 1 && b.interviews?.count === 1 && b.salaries?.dataPoints === 1 ? res.body : undefined;
    }, 60_000, 500);
    expect(page.counters).toMatchObject({ totalViews: 5, uniqueViewers: 3, applyClicks: 2, scraps: 1, mockApplicants: 1 });
    expect(page.reviews).toMatchObject({ count: 1, overall: 4, recommendToFriendPercent: 100 });
    expect(page.interviews).toMatchObject({ count: 1, difficulty: 3, experiencePercent: { positive: 100, neutral: 0, negative: 0 } });
    expect(page.salaries.dataPoints).toBe(1);

    // The company's panel is reused across its postings' pages for PAGE_COMPANY_CACHE_MS (1 s): a
    // changed profile shows within that of being indexed, beside the same counters.
    await w().post('/v1/companies').set(asOperator).send({ companyId, name: 'Page Co Renamed' }).expect(202);
    const renamed = await eventually(async () => {
      const res = await request(listings.getHttpServer()).get(`/v1/postings/${postingId}`);
      return res.status === 200 && (res.body as { company?: { name?: string } }).company?.name === 'Page Co Renamed' ? res.body : undefined;
    }, 30_000, 300);
    expect(renamed.counters).toMatchObject({ totalViews: 5, mockApplicants: 1 });
    expect(renamed.reviews).toMatchObject({ count: 1 });
    const jsonLd = await request(listings.getHttpServer()).get(`/v1/postings/${postingId}/jsonld`).expect(200);
    expect(jsonLd.body.hiringOrganization).toMatchObject({ name: 'Page Co Renamed' });
  });
});
