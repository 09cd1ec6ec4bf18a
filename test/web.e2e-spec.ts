import type { INestApplication } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import request from 'supertest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { loadConfig } from '../libs/platform/src/config';
import { createLogger } from '../libs/platform/src/logger';
import { WebConfigSpec } from '../apps/web/src/web.config';
import { createWebApp } from '../apps/web/src/web.app';
import { seedCommand, type SeedResult } from '../apps/ops/src/seed.command';
import { asOperator, eventually, startAnalytics, startIngest, startListings, syncListings, testKeys, waitReady } from './support/apps';
import { axeViolations, launchChromium, listenLocal } from './support/browser';
import { ROOT, runId } from './support/engines';

// The page jobstream is modelled on (shared/ sits beside the checkout, as in CI).
const fixture = JSON.parse(readFileSync(join(ROOT, '..', 'shared', 'fixtures', 'reference-posting.json'), 'utf8')) as { posting: { title: string; team: string; perkTags: string[]; requiredSkills: string[] }; page: { interviews: { process: string[]; commonQuestions: string[] } } };

/**
 * The job board in a real browser (Debian's chromium driven by playwright-core) over the real
 * services: ingest, listings and analytics on the engines, the web front end in front of them, and
 * the demo data (a copy of its own per run) loaded through ingest exactly as `ops seed` does.
 */
describe('web: the job board in a browser', () => {
  let ingest: INestApplication;
  let listings: INestApplication;
  let analytics: INestApplication;
  let web: INestApplication;
  let webUrl: string;
  let ingestUrl: string;
  let browser: Browser;
  let seeded: SeedResult;
  const suffix = `-${runId}`;

  const listingsApi = () => request(listings.getHttpServer());
  const analyticsApi = () => request(analytics.getHttpServer());

  beforeAll(async () => {
    ingest = await startIngest();
    ({ app: listings } = await startListings('web', { CONSUMER_FROM_BEGINNING: 'latest' }));
    ({ app: analytics } = await startAnalytics('web', { CONSUMER_FROM_BEGINNING: 'latest', ANALYTICS_SNAPSHOT_INTERVAL_MS: '500' }));
    await Promise.all([waitReady(ingest), waitReady(listings), waitReady(analytics)]);
    ingestUrl = await listenLocal(ingest);
    const listingsUrl = await listenLocal(listings);
    const analyticsUrl = await listenLocal(analytics);
    await syncListings(ingest, listings);
    const marker = `web-marker-${runId}`;
    await eventually(async () => {
      await request(ingest.getHttpServer()).post(`/v1/postings/${marker}/views`).send({ viewerId: 'sync' }).expect(202);
      return (await analyticsApi().get(`/v1/postings/${marker}/stats`)).status === 200 ? true : undefined;
    }, 60_000, 1000);

    const config = loadConfig(WebConfigSpec, { WEB_LISTINGS_URL: listingsUrl, WEB_ANALYTICS_URL: analyticsUrl, WEB_INGEST_URL: ingestUrl, WEB_PUBLIC_URL: 'http://board.example', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn' });
    web = await createWebApp(config, createLogger('web', config.LOG_LEVEL));
    webUrl = await listenLocal(web);

    // The demo data: the reference company and posting with its contributions, and 4 × 5 others (21 postings: two search pages).
    const quiet = new Writable({ write: (_chunk, _enc, done) => done() });
    seeded = await seedCommand(ingestUrl, testKeys.operator, quiet, { idSuffix: suffix, companies: 4, perCompany: 5 });
    await eventually(async () => {
      const page = (await listingsApi().get(`/v1/postings/${seeded.referencePostingId}`)).body as { salaries?: { dataPoints: number }; reviews?: { count: number }; interviews?: { count: number } };
      return page.salaries?.dataPoints === 52 && page.reviews?.count === 3 && page.interviews?.count === 4 ? true : undefined;
    }, 120_000, 500);
    await eventually(async () => ((await listingsApi().get('/v1/postings?limit=100')).body.items.length >= 21 ? true : undefined), 60_000, 500);
    browser = await launchChromium();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await web?.close();
    await analytics?.close();
    await listings?.close();
    await ingest?.close();
  });

  // bypassCSP only so axe-core can be injected; the pages themselves run under their CSP otherwise.
  const newPage = async (options: { javaScriptEnabled?: boolean } = {}): Promise<{ context: BrowserContext; page: Page }> => {
    const context = await browser.newContext({ bypassCSP: true, ...options });
    return { context, page: await context.newPage() };
  };
  const figure = (page: Page, name: string) => page.locator(`[data-figure="${name}"]`).first().innerText();
  const stats = async (postingId: string) => (await analyticsApi().get(`/v1/postings/${postingId}/stats`)).body as { totalViews?: number; scraps?: number; mockApplicants?: number };

  it("shows the reference posting with the seed's figures, its JSON-LD, and passes axe (WCAG 2.2 AA)", async () => {
    const { context, page } = await newPage();
    const res = await page.goto(`${webUrl}/jobs/${seeded.referencePostingId}`);
    expect(res?.status()).toBe(200);
    expect(await page.locator('h1').innerText()).toBe(fixture.posting.title);
    expect(await figure(page, 'team')).toBe(fixture.posting.team);
    expect(await figure(page, 'location')).toBe('Singapore');
    expect(await figure(page, 'workplace')).toBe('On-site');
    expect(await figure(page, 'employment')).toBe('Full-time');
    expect(await page.locator('ul.perks li').allInnerTexts()).toEqual(fixture.posting.perkTags);
    expect(await page.locator('ul.skills li').allInnerTexts()).toEqual(fixture.posting.requiredSkills);
    for (const heading of ['About the role', 'Responsibilities', 'Minimum qualifications', 'Preferred qualifications', 'Additional information', 'Reviews', 'Salaries', 'Interviews', 'Trending Companies', 'Trending Jobs']) {
      await expect(page.getByRole('heading', { name: heading, exact: true }).count()).resolves.toBe(1);
    }
    // Company panel and application-limit notice.
    expect({ stage: await figure(page, 'company-stage'), size: await figure(page, 'company-size'), hq: await figure(page, 'company-hq'), valuation: await figure(page, 'company-valuation'), group: await figure(page, 'company-group') }).toEqual({
      stage: 'Late Stage', size: '10,001+', hq: 'Los Angeles', valuation: '$220B', group: 'TikTok and its affiliates',
    });
    expect(await figure(page, 'application-limit')).toContain('at most 2 positions at TikTok and its affiliates');
    // The seed's counters (0: the first visit's own view is counted after the page was read).
    expect([await figure(page, 'views'), await figure(page, 'apply-clicks'), await figure(page, 'mock-applicants'), await figure(page, 'scraps')]).toEqual(['0', '0', '0', '0']);
    // Reviews: exact but overall (3.2 for 3.1) and the recommend share (0 % for 5 %), see README.
    expect({
      count: await figure(page, 'review-count'), overall: await figure(page, 'review-overall'), wlb: await figure(page, 'review-work-life-balance'), comp: await figure(page, 'review-compensation'),
      culture: await figure(page, 'review-culture'), career: await figure(page, 'review-career'), management: await figure(page, 'review-management'), recommend: await figure(page, 'review-recommend'),
    }).toEqual({ count: '3', overall: '3.2', wlb: '1.5', comp: '2.0', culture: '1.2', career: '1.8', management: '1.0', recommend: '0%' });
    // Salaries: 52 data points and the seed's example row.
    expect(await figure(page, 'salary-data-points')).toBe('52');
    const row = page.locator('tr[data-role="Junior/L3|Anti-Fraud Data Analyst"]');
    expect({ reports: await row.locator('[data-figure="reports"]').innerText(), total: await row.locator('[data-figure="total"]').innerText(), base: await row.locator('[data-figure="base"]').innerText(), stock: await row.locator('[data-figure="stock"]').innerText(), range: await row.locator('[data-figure="range"]').innerText() }).toEqual({
      reports: '3', total: '$143,750', base: '$125,000', stock: '—', range: '$126.5k–$163.3k',
    });
    // Interviews: every figure of the seed.
    expect({ count: await figure(page, 'interview-count'), difficulty: await figure(page, 'interview-difficulty'), duration: await figure(page, 'interview-duration'), pos: await figure(page, 'experience-positive'), neu: await figure(page, 'experience-neutral'), neg: await figure(page, 'experience-negative') }).toEqual({
      count: '4', difficulty: '3.5', duration: '21–35 weeks', pos: '0%', neu: '25%', neg: '75%',
    });
    expect(await page.locator('[data-figure="interview-process"] li').allInnerTexts()).toEqual(fixture.page.interviews.process);
    expect(await page.locator('[data-figure="interview-questions"] li').allInnerTexts()).toEqual(fixture.page.interviews.commonQuestions);
    // The trending sidebar links to postings that engagement made trend (the reference posting has none).
    await eventually(async () => ((await analyticsApi().get('/v1/trending/postings?limit=5')).body.items.length > 0 ? true : undefined), 30_000, 500);
    // JSON-LD JobPosting embedded in the page, pointing at the page.
    const jsonLd = JSON.parse(await page.locator('script[type="application/ld+json"]').innerText()) as Record<string, unknown>;
    expect(jsonLd).toMatchObject({ '@type': 'JobPosting', title: fixture.posting.title, url: `http://board.example/jobs/${seeded.referencePostingId}`, hiringOrganization: { name: 'TikTok' } });
    expect(await axeViolations(page)).toEqual([]);
    // Narrow screens: one column, nothing wider than the viewport.
    await page.setViewportSize({ width: 375, height: 800 });
    expect(await page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });

  it('counts a view for each opening of the page, through ingest', async () => {
    // The first test opened the page once.
    await eventually(async () => ((await stats(seeded.referencePostingId)).totalViews === 1 ? true : undefined), 30_000, 500);
    await eventually(async () => ((await listingsApi().get(`/v1/postings/${seeded.referencePostingId}`)).body.counters.totalViews === 1 ? true : undefined), 30_000, 500);
    const { context, page } = await newPage();
    await page.goto(`${webUrl}/jobs/${seeded.referencePostingId}`);
    expect(await figure(page, 'views')).toBe('1');
    await eventually(async () => ((await stats(seeded.referencePostingId)).totalViews === 2 ? true : undefined), 30_000, 500);
    await context.close();
  });

  it('scraps and mock-applies from the page without JavaScript, and with it in place', async () => {
    const other = [...seeded.postingIds.values()].find((id) => id !== seeded.referencePostingId)!;
    const before = await eventually(async () => {
      const s = await stats(other);
      return s.totalViews !== undefined ? s : undefined;
    }, 30_000, 500);
    const { context, page } = await newPage({ javaScriptEnabled: false });
    await page.goto(`${webUrl}/jobs/${other}`);
    await page.getByRole('button', { name: 'Scrap', exact: true }).click();
    await page.waitForURL(/done=scrapped/);
    expect(await page.getByRole('status').first().innerText()).toContain('Scrapped');
    expect(await page.getByRole('button', { name: 'Scrapped' }).getAttribute('aria-pressed')).toBe('true');
    await page.getByRole('button', { name: 'Mock apply' }).click();
    await page.waitForURL(/done=mock-applied/);
    expect(await page.getByRole('status').first().innerText()).toContain('Mock application counted');
    await context.close();
    await eventually(async () => {
      const s = await stats(other);
      return s.scraps === (before.scraps ?? 0) + 1 && s.mockApplicants === (before.mockApplicants ?? 0) + 1 ? true : undefined;
    }, 30_000, 500);

    // With JavaScript (another browser, so another viewer) the same forms are sent in the
    // background and the result is announced in place: scrap, then take it back.
    const js = await newPage();
    await js.page.goto(`${webUrl}/jobs/${other}`);
    const url = js.page.url();
    await js.page.getByRole('button', { name: 'Scrap', exact: true }).click();
    await js.page.getByRole('button', { name: 'Scrapped' }).waitFor();
    expect(await js.page.locator('#live-status').innerText()).toContain('Scrapped');
    expect(await js.page.getByRole('button', { name: 'Scrapped' }).getAttribute('aria-pressed')).toBe('true');
    await eventually(async () => ((await stats(other)).scraps === (before.scraps ?? 0) + 2 ? true : undefined), 30_000, 500);
    await js.page.getByRole('button', { name: 'Scrapped' }).click();
    await js.page.getByRole('button', { name: 'Scrap', exact: true }).waitFor();
    expect(await js.page.locator('#live-status').innerText()).toContain('Removed');
    expect(js.page.url()).toBe(url);
    expect(await axeViolations(js.page)).toEqual([]);
    await js.context.close();
    await eventually(async () => ((await stats(other)).scraps === (before.scraps ?? 0) + 1 ? true : undefined), 30_000, 500);
  });

  it('searches by keyword and filter, and pages with the cursor', async () => {
    const { context, page } = await newPage();
    await page.goto(`${webUrl}/jobs`);
    await page.getByLabel('Keywords').fill('recommendation architecture');
    await page.getByLabel('Workplace').selectOption('on-site');
    await page.getByRole('button', { name: 'Search', exact: true }).last().click();
    await page.waitForURL(/q=recommendation/);
    const titles = await page.locator('.result h3').allInnerTexts();
    expect(titles).toEqual([fixture.posting.title]);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('link', { name: fixture.posting.title }).click();
    await page.waitForURL(new RegExp(`/jobs/${seeded.referencePostingId}$`));

    // 21 postings and 20 per page: the second page holds what the first did not.
    await page.goto(`${webUrl}/jobs`);
    const first = await page.locator('.result').evaluateAll((els) => els.map((e) => e.getAttribute('data-posting-id')));
    expect(first).toHaveLength(20);
    await page.getByRole('link', { name: 'Next page' }).click();
    await page.waitForURL(/cursor=/);
    const second = await page.locator('.result').evaluateAll((els) => els.map((e) => e.getAttribute('data-posting-id')));
    expect(second.length).toBeGreaterThanOrEqual(1);
    expect(second.filter((id) => first.includes(id))).toEqual([]);
    expect([...first, ...second]).toContain(seeded.referencePostingId);
    await context.close();
  });

  it('shows the company page', async () => {
    const { context, page } = await newPage();
    await page.goto(`${webUrl}/companies/${seeded.referenceCompanyId}`);
    expect(await page.locator('h1').innerText()).toBe('TikTok');
    expect(await page.getByRole('link', { name: fixture.posting.title }).count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });

  it('applies up to the application limit: receipts, status pages, and the limit message', async () => {
    // Two more postings of the reference company: the limit is two across TikTok and its affiliates.
    const more: string[] = [];
    for (const n of [1, 2]) {
      const res = await request(ingest.getHttpServer()).post('/v1/postings').set(asOperator).send({ companyId: seeded.referenceCompanyId, externalId: `web-extra-${n}`, title: `Backend Engineer ${n}`, location: 'Singapore', workplaceType: 'on-site', employmentType: 'full-time', description: 'Build services.' }).expect(202);
      more.push(res.body.postingId as string);
    }
    await eventually(async () => ((await listingsApi().get(`/v1/postings/${more[1]}`)).status === 200 ? true : undefined), 30_000, 500);
    const email = `candidate-${runId}@example.com`;
    // The apply form is a plain form post (no script touches it); JavaScript stays on so axe can run.
    const { context, page } = await newPage();

    // A form error first: ingest's 400 names the field, the form shows it beside the field.
    await page.goto(`${webUrl}/jobs/${seeded.referencePostingId}/apply`);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel('Full name').fill('Ada Candidate');
    await page.getByLabel('Email').fill('not-an-email');
    await page.getByLabel('Link to your resume').fill('https://example.com/cv.pdf');
    await page.getByRole('button', { name: 'Send application' }).click();
    expect(await page.getByRole('alert').innerText()).toContain('correct the fields');
    expect(await page.getByLabel('Email').getAttribute('aria-invalid')).toBe('true');
    expect(await axeViolations(page)).toEqual([]);

    const outcomes: string[] = [];
    for (const postingId of [seeded.referencePostingId, more[0], more[1]]) {
      await page.goto(`${webUrl}/jobs/${postingId}/apply`);
      await page.getByLabel('Full name').fill('Ada Candidate');
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Link to your resume').fill('https://example.com/cv.pdf');
      await page.getByRole('button', { name: 'Send application' }).click();
      await page.getByRole('heading', { name: 'Application received' }).waitFor();
      expect(await figure(page, 'receipt-token')).toMatch(/\S{16,}/);
      await page.getByRole('link', { name: 'See the status' }).click();
      // The status page reads the decision with the receipt this browser kept; it is pending until listings decided.
      const status = await eventually(async () => {
        await page.reload();
        const text = await figure(page, 'application-status');
        return text === 'Being decided' || text === 'Pending' ? undefined : text;
      }, 30_000, 500);
      outcomes.push(status);
      if (status === 'Not accepted') {
        expect(await page.locator('[data-figure="rejection-reason"]').getAttribute('data-reason')).toBe('LIMIT_REACHED');
        expect(await figure(page, 'rejection-reason')).toContain('application limit');
        expect(await axeViolations(page)).toEqual([]);
      }
    }
    expect(outcomes).toEqual(['Accepted', 'Accepted', 'Not accepted']);
    await context.close();
  });
});
