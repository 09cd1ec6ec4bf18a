import type { INestApplication } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import request from 'supertest';
import { Agent, get as httpGet, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Kafka, logLevel } from 'kafkajs';
import { PostingPublished, createEvent, validate } from '@jobstream/contracts';
import { EventExamples } from '@jobstream/contracts/examples';
import { listDeadLetters } from '../apps/ops/src/dead-letters.command';
import { groupProgress } from '../apps/ops/src/progress.command';
import { asOperator, eventually, searchAliasOf, startIngest, startListings, syncListings, waitReady } from './support/apps';
import { engines, runId } from './support/engines';

/** Search on the real OpenSearch node: relevance, typos, highlights, facets, cursors, similar, rebuild, limits, dead letters. */
describe('search on OpenSearch', () => {
  let ingest: INestApplication;
  let listings: INestApplication;
  let groupId: string;
  const kafka = new Kafka({ clientId: 'e2e-search', brokers: [engines.kafkaBrokers], sasl: engines.kafkaSasl, logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  const acme = `acme-${runId}`;
  const globex = `globex-${runId}`;
  // Every posting of this suite carries this word, so its queries only see this run's postings.
  const tag = `srch${runId}`;
  const ids: Record<string, string> = {};

  const write = () => request(ingest.getHttpServer());
  const read = () => request(listings.getHttpServer());
  const posting = (key: string, body: Record<string, unknown> & { description?: string }) => ({
    companyId: acme,
    externalId: `${key}-${runId}`,
    location: 'Berlin',
    workplaceType: 'hybrid',
    employmentType: 'full-time',
    hiringTeam: [{ name: 'Sam Search', email: 'sam@example.com' }],
    ...body,
    description: `${body.description ?? 'A role.'} Listed as ${tag}.`,
  });
  const create = async (key: string, body: Record<string, unknown> & { description?: string }) => {
    const res = await write().post('/v1/postings').set(asOperator).send(posting(key, body)).expect(202);
    ids[key] = res.body.postingId as string;
    return ids[key];
  };
  const search = (query: Record<string, string>, app = listings) => request(app.getHttpServer()).get('/v1/postings').query(query);
  const idsOf = (body: { items: { postingId: string }[] }) => body.items.map((i) => i.postingId);
  /** Polls until the search answers what `check` accepts (the index trails the events by a batch and a refresh). */
  const settled = (query: Record<string, string>, check: (body: SearchBody) => boolean, app = listings) =>
    eventually(async () => {
      const res = await search(query, app);
      return res.status === 200 && check(res.body as SearchBody) ? (res.body as SearchBody) : undefined;
    }, 60_000, 300);

  interface Item {
    postingId: string;
    title: string;
    companyName?: string;
    highlights?: Record<string, string[]>;
  }
  interface SearchBody {
    items: Item[];
    nextCursor: string | null;
    total: number;
    facets: Record<string, { value: string; count: number; name?: string }[]>;
  }

  beforeAll(async () => {
    ingest = await startIngest();
    ({ app: listings, groupId } = await startListings('search', { CONSUMER_FROM_BEGINNING: 'latest', CONSUMER_MAX_RETRIES: '1', CONSUMER_RETRY_BASE_MS: '50' }));
    await producer.connect();
    await Promise.all([waitReady(ingest), waitReady(listings)]);
    await syncListings(ingest, listings);
    await write().post('/v1/companies').set(asOperator).send({ companyId: acme, name: 'Acme Robotics' }).expect(202);
    await write().post('/v1/companies').set(asOperator).send({ companyId: globex, name: 'Globex Analytics' }).expect(202);
    await create('k8s', { title: 'Kubernetes Platform Engineer', requiredSkills: ['Kubernetes', 'Go'], description: 'Run our Kubernetes clusters and the platform on top.', workplaceType: 'remote' });
    await create('backend', { title: 'Backend Engineer', requiredSkills: ['Java', 'Kafka'], description: 'Services in Java & <Kotlin>; you may touch a kubernetes manifest now and then.', location: 'Tokyo' });
    await create('analyst', { companyId: globex, title: 'Data Analyst', requiredSkills: ['SQL', 'Python'], description: 'Dashboards and SQL for the sales team.', employmentType: 'part-time', location: 'Tokyo' });
    await create('sre', { title: 'Kubernetes Site Reliability Engineer', requiredSkills: ['Kubernetes', 'Terraform'], description: 'Keep Kubernetes clusters and the platform healthy; on call.', workplaceType: 'remote' });
    await create('designer', { companyId: globex, title: 'Product Designer', requiredSkills: ['Figma'], description: 'Design the analytics product.', workplaceType: 'on-site' });
    await settled({ q: tag }, (b) => b.total === 5 && b.items.length === 5); // the hits may read a point in time up to half a second older than the total
  }, 180_000);

  afterAll(async () => {
    await producer.disconnect();
    await listings?.close();
    await ingest?.close();
  });

  it('ranks by BM25 relevance: a title and skill match above a passing mention, non-matches left out; highlights the words', async () => {
    const body = (await search({ q: 'kubernetes', companyId: acme }).expect(200)).body as SearchBody;
    expect(idsOf(body).slice(0, 2).sort()).toEqual([ids.k8s, ids.sre].sort());
    expect(idsOf(body)[2]).toBe(ids.backend); // mentioned once, in the description
    expect(idsOf(body)).toHaveLength(3);
    const k8s = body.items.find((i) => i.postingId === ids.k8s)!;
    expect(k8s.highlights?.title).toEqual(['<em>Kubernetes</em> Platform Engineer']);
    expect(k8s.highlights?.skills).toEqual(['<em>Kubernetes</em>']);
    // Fragments are HTML-escaped around the tags; items are summaries, the long text is on the posting's page.
    expect(body.items.find((i) => i.postingId === ids.backend)!.highlights?.description?.join(' ')).toContain('Services in Java &amp; &lt;Kotlin&gt;; you may touch a <em>kubernetes</em> manifest now and then.');
    expect(k8s).toMatchObject({ title: 'Kubernetes Platform Engineer', requiredSkills: ['Kubernetes', 'Go'], workplaceType: 'remote' });
    expect(k8s).not.toHaveProperty('description');
    // The company name is searchable and ranks like the other fields.
    expect(idsOf((await search({ q: `globex ${tag}` }).expect(200)).body as SearchBody).sort()).toEqual([ids.analyst, ids.designer].sort());
    // A stop word, which stemming drops, is still a word to match as written.
    expect(idsOf((await search({ q: `on ${tag}` }).expect(200)).body as SearchBody).sort()).toEqual([ids.k8s, ids.sre].sort());
    expect(((await search({ q: `of ${tag}` }).expect(200)).body as SearchBody).items).toEqual([]);
    // sort=recent ignores the score: newest first.
    expect(idsOf((await search({ q: 'kubernetes', companyId: acme, sort: 'recent' }).expect(200)).body as SearchBody)).toEqual([ids.sre, ids.backend, ids.k8s]);
  });

  it('tolerates typos', async () => {
    expect(idsOf((await search({ q: 'kubernets', companyId: acme }).expect(200)).body as SearchBody).sort()).toEqual([ids.k8s, ids.backend, ids.sre].sort());
    expect(idsOf((await search({ q: `enginer ${tag}` }).expect(200)).body as SearchBody).sort()).toEqual([ids.k8s, ids.backend, ids.sre].sort());
    expect(idsOf((await search({ q: `analitycs ${tag}` }).expect(200)).body as SearchBody).sort()).toEqual([ids.analyst, ids.designer].sort()); // company name and description
    expect(((await search({ q: `zzyzx ${tag}` }).expect(200)).body as SearchBody).items).toEqual([]);
    // A typo match is highlighted where it matched, and its cursor pages go on matching with typos.
    const first = (await search({ q: 'kubernets', companyId: acme, limit: '2' }).expect(200)).body as SearchBody;
    expect(first.total).toBe(3);
    expect(first.items.find((i) => i.postingId === ids.k8s)?.highlights?.title).toEqual(['<em>Kubernetes</em> Platform Engineer']);
    const second = (await search({ q: 'kubernets', companyId: acme, limit: '2', cursor: first.nextCursor! }).expect(200)).body as SearchBody;
    expect([...idsOf(first), ...idsOf(second)].sort()).toEqual([ids.k8s, ids.backend, ids.sre].sort());
  });

  it('counts facets over every match: location, workplace type, employment type, company (with name), skills', async () => {
    const body = (await search({ q: tag, limit: '1' }).expect(200)).body as SearchBody;
    expect(body.total).toBe(5);
    expect(body.items).toHaveLength(1);
    const asMap = (key: string) => Object.fromEntries(body.facets[key].map((f) => [f.value, f.count]));
    expect(asMap('location')).toEqual({ Berlin: 3, Tokyo: 2 });
    expect(asMap('workplaceType')).toEqual({ remote: 2, hybrid: 2, 'on-site': 1 });
    expect(asMap('employmentType')).toEqual({ 'full-time': 4, 'part-time': 1 });
    expect(body.facets.company).toEqual(expect.arrayContaining([{ value: acme, count: 3, name: 'Acme Robotics' }, { value: globex, count: 2, name: 'Globex Analytics' }]));
    expect(asMap('skills')).toMatchObject({ Kubernetes: 2, Go: 1, SQL: 1, Figma: 1 });
    // Facets follow the filters.
    const remote = (await search({ q: tag, workplaceType: 'remote' }).expect(200)).body as SearchBody;
    expect(remote.facets.workplaceType).toEqual([{ value: 'remote', count: 2 }]);
  });

  it("answers a repeated search from the engine's request cache, and a new posting still appears at the next refresh", async () => {
    const cacheHits = async () => {
      const stats = (await (await fetch(`${engines.opensearchUrl}/${searchAliasOf('search')}/_stats/request_cache`)).json()) as { _all: { total: { request_cache: { hit_count: number } } } };
      return stats._all.total.request_cache.hit_count;
    };
    const query = { q: 'warden', companyId: globex, sort: 'recent' };
    const first = (await search(query).expect(200)).body as SearchBody;
    expect(first.total).toBe(0);
    const before = await cacheHits();
    expect((await search(query).expect(200)).body).toEqual(first);
    // The page of hits and the counts, of the search as written and of its typo pass.
    expect(await cacheHits()).toBeGreaterThanOrEqual(before + 4);
    const id = await create('warden', { companyId: globex, title: 'Cache Warden', requiredSkills: ['Memcached'], description: 'Keeps the caches warm.', location: 'Lisbon' });
    const after = await settled(query, (b) => b.total === 1);
    expect(idsOf(after)).toEqual([id]);
    expect(after.facets.location).toEqual([{ value: 'Lisbon', count: 1 }]);
  });

  it('answers identical searches in flight together with one engine request, each copy the same answer', async () => {
    const counts = async () => {
      const text = (await read().get('/metrics').expect(200)).text;
      const of = (engine: string) => Number(new RegExp(`^jobstream_searches_total\\{[^}]*engine="${engine}"[^}]*\\} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
      return { own: of('own'), shared: of('shared') };
    };
    const q = `kubernetes ${tag}`;
    const before = await counts();
    const answers = await Promise.all(Array.from({ length: 20 }, () => search({ q }).expect(200)));
    const after = await counts();
    expect(after.own + after.shared - before.own - before.shared).toBe(20);
    expect(after.shared - before.shared).toBeGreaterThan(0);
    for (const a of answers) expect(a.body).toEqual(answers[0].body);
    expect(idsOf(answers[0].body as SearchBody).sort()).toEqual([ids.k8s, ids.backend, ids.sre].sort());
  });

  it('sends distinct searches asked together in one engine request, each getting its own answer; one the engine refuses fails alone', async () => {
    const batched = async () => {
      const text = (await read().get('/metrics').expect(200)).text;
      const value = (line: RegExp) => Number(line.exec(text)?.[1] ?? 0);
      // Requests that carried more than one search's hits and facets.
      return value(/^jobstream_search_msearch_searches_count (\S+)$/m) - value(/^jobstream_search_msearch_searches_bucket\{le="2"\} (\S+)$/m);
    };
    const queries: Record<string, string>[] = [{ q: 'kubernetes', companyId: acme }, { q: tag, workplaceType: 'remote' }, { q: `globex ${tag}` }, { q: tag, location: 'Tokyo', sort: 'recent' }, { q: tag, limit: '2' }, { q: `designer ${tag}` }];
    const alone: unknown[] = [];
    // A cursor names the point in time it pages through, which differs from one search to the next.
    const answer = (body: SearchBody) => ({ ...body, nextCursor: body.nextCursor ? 'a cursor' : null });
    for (const query of queries) alone.push(answer((await search(query).expect(200)).body as SearchBody));
    const forged = Buffer.from(JSON.stringify({ s: 'relevance', a: [1, 0, 'x'], p: 'bm90IGEgcGl0' })).toString('base64url');
    // Searches arrive together as they do from clients already connected: over open keep-alive
    // connections (a new connection per request spreads them over several turns of the event loop).
    const server = listings.getHttpServer() as Server;
    if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/postings?`;
    const agent = new Agent({ keepAlive: true, maxSockets: queries.length + 1 });
    const get = (query: Record<string, string>) =>
      new Promise<{ status: number; body: SearchBody }>((resolve, reject) => {
        httpGet(base + new URLSearchParams(query).toString(), { agent }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as SearchBody }));
        }).on('error', reject);
      });
    const all = () => Promise.all([get({ q: tag, cursor: forged }), ...queries.map(get)]);
    try {
      await all(); // opens the connections
      const before = await batched();
      const [refused, ...together] = await all();
      expect(refused.status).toBe(400);
      expect(together.map((r) => [r.status, r.status === 200 ? "" : JSON.stringify(r.body)])).toEqual(queries.map(() => [200, ""]));
      expect(together.map((r) => answer(r.body))).toEqual(alone);
      expect(await batched()).toBeGreaterThan(before);
    } finally {
      agent.destroy();
    }
  });

  it('answers "similar jobs" for the sidebar, without the posting itself', async () => {
    const body = (await read().get(`/v1/postings/${ids.k8s}/similar`).expect(200)).body as { items: Item[] };
    expect(body.items[0].postingId).toBe(ids.sre);
    expect(idsOf(body)).not.toContain(ids.k8s);
    await read().get(`/v1/postings/nope-${runId}/similar`).expect(404);
    await read().get(`/v1/postings/${ids.k8s}/similar`).query({ limit: '500' }).expect(400);
  });

  it('pages with stable cursors while postings are written: no skips, no repeats (recent and relevance)', async () => {
    const word = `pg${runId}`;
    const batch = Array.from({ length: 60 }, (_, i) => posting(`pg-${i}`, { title: `Pager ${word} ${i % 7 === 0 ? word : ''} role ${i}`, description: `Number ${i} ${word}` }));
    const res = await write().post('/v1/postings/batch').set(asOperator).send({ postings: batch }).expect(200);
    const original: string[] = res.body.results.map((r: { postingId: string }) => r.postingId);
    await settled({ q: word, limit: '100' }, (b) => b.total === 60 && b.items.length === 60);
    let extra = 0;
    const churn = async () => {
      // New postings, edits that rescore existing ones, and trending counters, between every two pages.
      await write().post('/v1/postings/batch').set(asOperator).send({ postings: [posting(`pg-new-${extra++}`, { title: `Pager ${word} ${word} ${word} fresh`, description: word })] }).expect(200);
      const victim = original[(extra * 13) % original.length];
      await write().patch(`/v1/postings/${victim}`).set(asOperator).send({ title: `Pager ${word} ${word} ${word} edited ${extra}` }).expect(202);
      const stats = createEvent('posting-stats.updated', { postingId: victim, totalViews: extra, uniqueViewers: extra, applyClicks: 0, scraps: 0, mockApplicants: 0, trendingScore: 100 + extra, daily: [], updatedAt: new Date().toISOString() }, 'e2e');
      await producer.send({ topic: 'posting-stats', acks: -1, messages: [{ key: victim, value: JSON.stringify(stats) }] });
      // Until a new search sees both writes (a fixed pause is not enough when the machine is busy):
      // a write landing between a first page and its point in time would move a posting across it.
      const alias = searchAliasOf('search');
      await eventually(async () => {
        const found = (await (await fetch(`${engines.opensearchUrl}/${alias}/_search`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: { ids: { values: [victim] } }, _source: ['title', 'trendingScore'] }) })).json()) as { hits: { hits: { _source: { title: string; trendingScore: number } }[] } };
        const doc = found.hits.hits[0]?._source;
        return doc?.title.endsWith(`edited ${extra}`) && doc.trendingScore === 100 + extra ? true : undefined;
      }, 60_000, 200);
    };
    for (const sort of ['recent', 'relevance', 'trending']) {
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 20; page++) {
        const body = (await search({ q: word, sort, limit: '7', ...(cursor ? { cursor } : {}) }).expect(200)).body as SearchBody;
        seen.push(...idsOf(body));
        cursor = body.nextCursor ?? undefined;
        if (!cursor) break;
        await churn();
      }
      expect({ sort, repeats: seen.length - new Set(seen).size }).toEqual({ sort, repeats: 0 });
      expect({ sort, missing: original.filter((id) => !seen.includes(id)) }).toEqual({ sort, missing: [] });
    }
    // First pages read within half a second share one point in time (one opened per half second, whatever the search rate).
    const pits = await Promise.all(
      [0, 1, 2].map(async () => {
        const { nextCursor } = (await search({ q: word, sort: 'trending', limit: '5' }).expect(200)).body as SearchBody;
        return (JSON.parse(Buffer.from(nextCursor!, 'base64url').toString('utf8')) as { p?: string }).p;
      }),
    );
    expect(pits[0]).toEqual(expect.any(String));
    expect(new Set(pits).size).toBe(1);
  }, 300_000);

  it('rate-limits public search per client (429 with Retry-After), not the posting page; behind a trusted proxy per visitor, an IPv6 one by its /64', async () => {
    const limited = await startListings('search-limited', { CONSUMER_FROM_BEGINNING: 'latest', SEARCH_RATE_LIMIT: '3', SEARCH_RATE_WINDOW_SECONDS: '60', TRUST_PROXY: 'loopback' });
    try {
      await waitReady(limited.app);
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await search({ q: tag }, limited.app)).status);
      const refused = await search({ q: tag }, limited.app);
      expect([...statuses, refused.status]).toEqual([200, 200, 200, 429]);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      await request(limited.app.getHttpServer()).get(`/v1/postings/${ids.k8s}/similar`).expect(429);
      expect((await request(limited.app.getHttpServer()).get(`/v1/postings/${ids.k8s}`)).status).not.toBe(429);
      // The web front end forwards each visitor's address from loopback, which this replica trusts:
      // another visitor has a budget of its own, while addresses of one IPv6 /64 share one.
      const as = (visitor: string) => search({ q: tag }, limited.app).set('X-Forwarded-For', visitor);
      expect((await as('203.0.113.7')).status).toBe(200);
      const rotating: number[] = [];
      for (const host of ['1', '2', 'abcd:1', 'ffff:ffff:ffff']) rotating.push((await as(`2001:db8:5:6::${host}`)).status);
      expect(rotating).toEqual([200, 200, 200, 429]);
      expect((await as('2001:db8:5:7::1')).status).toBe(200);
    } finally {
      await limited.app.close();
    }
  });

  it('answers a query the engine refuses with a 400, never a 5xx', async () => {
    const forged = (c: unknown) => Buffer.from(JSON.stringify(c)).toString('base64url');
    const badPit = await search({ q: tag, cursor: forged({ s: 'relevance', a: [1, 0, 'x'], p: 'bm90IGEgcGl0' }) });
    expect(badPit.status).toBe(400);
    expect(badPit.body.message).toMatch(/cursor has expired|refused/);
    // Inputs that reach the engine at its limits: answered, or refused with a 400, never a 5xx.
    const edgy = [Array.from({ length: 16 }, (_, i) => `qwertyuio${i}`).join(' '), 'x'.repeat(200), '"\\ * ? ~ ( ) [ ] { } ^ ! : / AND OR NOT', '🙂 日本語 العربية'];
    for (const q of edgy) {
      const res = await search({ q, sort: 'relevance' });
      expect({ q, status: res.status < 500 }).toEqual({ q, status: true });
      if (res.status === 400) expect(res.body.message).toMatch(/refused|Invalid query/);
    }
  });

  it('dead-letters a document the engine refuses and keeps indexing the rest', async () => {
    // Valid by the contract (RFC 3339 allows any number of fraction digits), but the index's date
    // field parses at most nine. Ingest stamps postedAt itself, so this comes from another producer.
    const bad = `bad-${runId}`;
    const snapshot = { ...EventExamples['posting.published'], postingId: bad, companyId: acme, externalId: bad, title: `Overpaid ${tag}`, postedAt: '2026-11-02T09:15:00.1234567891Z' };
    expect(validate(PostingPublished, snapshot).ok).toBe(true);
    await producer.send({ topic: 'postings', acks: -1, messages: [{ key: bad, value: JSON.stringify(createEvent('posting.published', snapshot, 'e2e')) }] });
    const after = await create('after', { title: `Afterwards ${tag}` });
    await settled({ q: `afterwards ${tag}` }, (b) => idsOf(b).includes(after));
    const letters = await eventually(async () => {
      const found = (await listDeadLetters(kafka, `${groupId}-search-v2`)).filter((l) => l.error.includes(bad));
      return found.length > 0 ? found : undefined;
    }, 60_000, 1000);
    expect(letters[0]).toMatchObject({ origin: expect.stringContaining('postings'), error: expect.stringContaining('refused') });
    expect(((await search({ q: `overpaid ${tag}` }).expect(200)).body as SearchBody).items).toEqual([]);
    // The store of record (MongoDB, its own group) has it, so applications to it are decided; the
    // page is read from the index, so it stays unpublished until the operator fixes and redrives it.
    const postings = listings.get<Connection>(getConnectionToken()).collection('postings');
    await eventually(async () => ((await postings.findOne({ _id: bad as never })) ? true : undefined));
    await read().get(`/v1/postings/${bad}`).expect(404);
    await read().get(`/v1/postings/${after}`).expect(200);
  });

  it('reads a posting acknowledged before pay was bounded as one without a pay range, in both groups, with no dead letter', async () => {
    // Before 2026-12-02 ingest accepted any amount; the log still holds what it acknowledged then.
    const old = `legacy-pay-${runId}`;
    const snapshot = { ...EventExamples['posting.published'], postingId: old, companyId: acme, externalId: old, title: `Legacy ${tag}`, payRange: { min: 1e43, max: 1.1e43, currency: 'USD', interval: 'year' } };
    expect(validate(PostingPublished, snapshot).ok).toBe(false);
    await producer.send({ topic: 'postings', acks: -1, messages: [{ key: old, value: JSON.stringify(createEvent('posting.published', snapshot as never, 'e2e')) }] });
    await settled({ q: `legacy ${tag}` }, (b) => idsOf(b).includes(old));
    const page = (await read().get(`/v1/postings/${old}`).expect(200)).body as { posting: Record<string, unknown> };
    expect(page.posting).toMatchObject({ postingId: old, title: `Legacy ${tag}` });
    expect(page.posting.payRange).toBeUndefined();
    const postings = listings.get<Connection>(getConnectionToken()).collection('postings');
    const stored = await eventually(async () => (await postings.findOne({ _id: old as never })) ?? undefined);
    expect(JSON.stringify(stored)).not.toContain('payRange');
    for (const group of [groupId, `${groupId}-search-v2`]) expect((await listDeadLetters(kafka, group)).filter((l) => l.error.includes(old))).toEqual([]);
  });

  it('rebuilds into a new index and moves the alias once caught up, answering searches throughout; an older build never takes it back', async () => {
    const alias = searchAliasOf('search');
    const os = (path: string) => fetch(`${engines.opensearchUrl}${path}`).then((r) => r.json() as Promise<Record<string, unknown>>);
    expect(Object.keys(await os(`/_alias/${alias}`))).toEqual([`${alias}-v2`]);
    const expected = idsOf((await search({ q: 'kubernetes', companyId: acme }).expect(200)).body as SearchBody);
    // A deploy with a new SEARCH_BUILD: a second replica of the same listings (same group and
    // database, which are caught up) whose new search group replays the topics into the new index.
    const rebuild = await startListings('search', { SEARCH_BUILD: 'v3', CONSUMER_FROM_BEGINNING: 'earliest' });
    const answers: number[] = [];
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const res = await search({ q: 'kubernetes', companyId: acme });
        answers.push(res.status === 200 && JSON.stringify(idsOf(res.body as SearchBody)) === JSON.stringify(expected) ? 1 : 0);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    try {
      const rebuildGroup = `${rebuild.groupId}-search-v3`;
      const admin = kafka.admin();
      await admin.connect();
      try {
        // ops progress finds the rebuilding group's topics from its live members.
        const progress = await eventually(async () => {
          const p = await groupProgress(admin, rebuildGroup);
          return p.topics.includes('postings') ? p : undefined;
        }, 60_000, 500);
        expect(progress.topics).toEqual(expect.arrayContaining(['companies', 'company-insights', 'postings']));
        expect(progress.topics).not.toContain('posting-stats');
        // The counters replay in a group of their own, and the alias waits for it too.
        const stats = await eventually(async () => {
          const p = await groupProgress(admin, `${rebuild.groupId}-search-stats-v3`);
          return p.topics.includes('posting-stats') ? p : undefined;
        }, 60_000, 500);
        expect(stats.topics).not.toContain('postings');
      } finally {
        await admin.disconnect();
      }
      await eventually(async () => (Object.keys(await os(`/_alias/${alias}`)).join() === `${alias}-v3` ? true : undefined), 420_000, 500);
      expect(idsOf((await search({ q: 'kubernetes', companyId: acme }).expect(200)).body as SearchBody)).toEqual(expected);
      await new Promise((r) => setTimeout(r, 5000)); // the v2 build keeps checking the alias: it must not move it back
      expect(Object.keys(await os(`/_alias/${alias}`))).toEqual([`${alias}-v3`]);
    } finally {
      polling = false;
      await poller;
      await rebuild.app.close();
    }
    expect(answers.length).toBeGreaterThan(5);
    expect(answers.filter((ok) => !ok)).toEqual([]);
  }, 600_000);
});
