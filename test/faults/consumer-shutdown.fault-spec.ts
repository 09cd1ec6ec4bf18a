import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { Kafka, Partitioners, logLevel, type Message } from 'kafkajs';
import { mongo } from 'mongoose';
import { createEvent, topicOf, type EventEnvelope, type PostingSnapshot } from '@jobstream/contracts';
import { jobIdOf } from '../../apps/notifier/src/mail/email-jobs.util';
import { analyticsEnv, eventually, groupPinned, searchAliasOf, testEnv } from '../support/apps';
import { ROOT, childPort, engines, runId } from '../support/engines';

/**
 * Consumers stopped mid-stream and restarted with the same group and state: SIGKILL (no hooks, a
 * slice possibly half-applied, its offsets uncommitted) and SIGTERM (graceful: the in-flight slice
 * finishes and commits, the member leaves). Either way the restarted service must end EXACTLY where
 * an uninterrupted one would: nothing lost, nothing applied twice, nothing stale winning.
 */

type Exit = { code: number | null; signal: NodeJS.Signals | null };
type AppName = 'listings' | 'analytics' | 'notifier';

interface Service {
  child: ChildProcess;
  exited: Promise<Exit>;
  log: () => string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fmt = (n: number) => n.toLocaleString('en-US');
const running = new Set<ChildProcess>();

/** Runs apps/<app>/src/main.ts as its own process (ts-node), the way it runs in production. */
function spawnService(app: AppName, env: NodeJS.ProcessEnv): Service {
  const child = spawn(process.execPath, ['-r', 'ts-node/register', '-r', 'tsconfig-paths/register', join(ROOT, `apps/${app}/src/main.ts`)], {
    cwd: ROOT,
    env: { ...process.env, ...env, TS_NODE_TRANSPILE_ONLY: 'true', TS_NODE_PROJECT: join(ROOT, 'tsconfig.json') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let log = '';
  const keep = (chunk: Buffer) => void (log = (log + chunk.toString()).slice(-200_000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<Exit>((resolve) =>
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    }),
  );
  return { child, exited, log: () => log };
}

async function waitReady(port: number): Promise<void> {
  await eventually(async () => ((await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => undefined))?.status === 200 ? true : undefined), 120_000, 250);
}

/** Stops a service with `signal` and waits for the process to end. */
async function stop(service: Service, signal: 'SIGKILL' | 'SIGTERM'): Promise<Exit> {
  service.child.kill(signal);
  return service.exited;
}

/** A graceful exit: code 0, or SIGTERM re-raised by Nest once its shutdown hooks are done. */
const graceful = (exit: Exit) => exit.code === 0 || exit.signal === 'SIGTERM';
const exitText = (exit: Exit) => String(exit.code ?? exit.signal);

const kafka = new Kafka({ clientId: 'fault-consumer-shutdown', brokers: [engines.kafkaBrokers], sasl: engines.kafkaSasl, logLevel: logLevel.NOTHING });
const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });

/** Publishes events the way ingest does: keyed, headed, each on its catalog topic, acknowledged by all replicas. */
async function produce(events: readonly EventEnvelope[]): Promise<void> {
  const byTopic = new Map<string, Message[]>();
  for (const e of events) {
    const topic = topicOf(e.type).name;
    const list = byTopic.get(topic) ?? [];
    list.push({ key: e.key, value: JSON.stringify(e), headers: { type: e.type, schemaVersion: String(e.schemaVersion), eventId: e.id } });
    byTopic.set(topic, list);
  }
  await producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
}

/** True once `groupId` has committed the end of every partition of `topics`. */
async function caughtUp(groupId: string, topics: readonly string[]): Promise<boolean> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    for (const { topic, partitions } of await admin.fetchOffsets({ groupId, topics: [...topics] })) {
      const ends = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, BigInt(p.high)]));
      if (partitions.some((p) => BigInt(p.offset) < (ends.get(p.partition) ?? 0n))) return false;
    }
    return true;
  } finally {
    await admin.disconnect();
  }
}

const chunked = <T>(items: readonly T[], size: number): T[][] => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

// ------------------------------------------------------------------------------------ listings

interface ExpectedPosting {
  companyId: string;
  revision: number;
  title: string;
  status: 'published' | 'closed';
}

interface PostingStream {
  tag: string;
  events: EventEnvelope[];
  postings: Map<string, ExpectedPosting>;
  /** Final name of each company, and the search token of each name it ever had. */
  companies: Map<string, { name: string; token: string; oldTokens: string[] }>;
}

/**
 * Companies upserted then renamed (one twice in a row), postings published, revised, some revised
 * again, some closed, then stale redeliveries (first revisions, a company's first profile) that
 * must change nothing. Events of one posting or company are in order; every payload is a valid
 * contract snapshot.
 */
function postingStream(name: string, count: number): PostingStream {
  const tag = `${name}${runId}`;
  const events: EventEnvelope[] = [];
  const postings = new Map<string, ExpectedPosting>();
  const companyIds = Array.from({ length: 4 }, (_, c) => `cs-${runId}-${name}-c${c}`);
  const companies = new Map<string, { name: string; token: string; oldTokens: string[] }>();
  const upsert = (c: number, version: string) => {
    const token = `${tag}${version}${c}`;
    const event = createEvent('company.upserted', { companyId: companyIds[c], name: `Shutdown Co ${token}`, headquarters: 'Singapore' }, 'fault');
    events.push(event);
    const before = companies.get(companyIds[c]);
    companies.set(companyIds[c], { name: event.data.name, token, oldTokens: before ? [...before.oldTokens, before.token] : [] });
    return event;
  };
  const postedAt = new Date().toISOString();
  const ids = Array.from({ length: count }, (_, i) => `cs-${runId}-${name}-p${i}`);
  const snapshot = (i: number, status: ExpectedPosting['status']): PostingSnapshot => {
    const revision = (postings.get(ids[i])?.revision ?? 0) + 1;
    const data: PostingSnapshot = {
      postingId: ids[i],
      companyId: companyIds[i % companyIds.length],
      externalId: `ext-${i}`,
      revision,
      status,
      title: `Engineer ${tag} ${i} r${revision}`,
      location: ['Singapore', 'Tokyo', 'Berlin'][i % 3],
      workplaceType: 'remote',
      employmentType: 'full-time',
      description: `Posting ${i} of the shutdown stream, revision ${revision}`,
      requiredSkills: ['TypeScript', 'Kafka'],
      postedAt,
      ...(status === 'closed' ? { closedAt: new Date().toISOString() } : {}),
    };
    postings.set(ids[i], { companyId: data.companyId, revision, title: data.title, status });
    return data;
  };

  const firstProfile = [0, 1, 2, 3].map((c) => upsert(c, 'a'));
  const published = ids.map((_, i) => createEvent('posting.published', snapshot(i, 'published'), 'fault'));
  events.push(...published);
  for (let i = 0; i < count; i += 2) {
    events.push(createEvent('posting.updated', snapshot(i, 'published'), 'fault'));
    if (i === Math.floor(count / 2)) upsert(0, 'b'); // renamed while its postings are being revised
  }
  for (let i = 0; i < count; i += 3) events.push(createEvent('posting.updated', snapshot(i, 'published'), 'fault'));
  upsert(2, 'b');
  upsert(2, 'c'); // two renames in a row: the later one wins
  for (let i = 0; i < count; i += 5) events.push(createEvent('posting.closed', snapshot(i, 'closed'), 'fault'));
  upsert(1, 'b');
  // Redeliveries of old events: first revisions and company 0's first profile. They must lose.
  for (let i = 0; i < count; i += 7) events.push(published[i]);
  events.push(firstProfile[0]);
  return { tag, events, postings, companies };
}

interface PostingDoc {
  _id: string;
  revision?: number;
  status?: string;
  companyId?: string;
  snapshot?: PostingSnapshot;
}

/**
 * Differences between the store of record and the expected one: postings missing or behind, and
 * anything else off. (Company names in postings are the search index's: see the search check.)
 */
async function readModelDiff(db: mongo.Db, stream: PostingStream): Promise<{ lost: string[]; wrong: string[] }> {
  const docs = await db.collection<PostingDoc>('postings').find({}, { projection: { revision: 1, status: 1, companyId: 1, snapshot: 1 } }).toArray();
  const lost: string[] = [];
  const wrong: string[] = [];
  const byId = new Map(docs.map((d) => [d._id, d]));
  for (const [id, want] of stream.postings) {
    const doc = byId.get(id);
    if (!doc?.snapshot || (doc.revision ?? 0) < want.revision) {
      lost.push(`${id}: revision ${doc?.revision ?? 'none'}, want ${want.revision}`);
      continue;
    }
    const got = { revision: doc.revision, snapshotRevision: doc.snapshot.revision, title: doc.snapshot.title, status: doc.status, snapshotStatus: doc.snapshot.status };
    const exact = { revision: want.revision, snapshotRevision: want.revision, title: want.title, status: want.status, snapshotStatus: want.status };
    if (JSON.stringify(got) !== JSON.stringify(exact)) wrong.push(`${id}: got ${JSON.stringify(got)}, want ${JSON.stringify(exact)}`);
  }
  for (const doc of docs) if (!stream.postings.has(doc._id)) wrong.push(`${doc._id}: not in the stream`);
  const companies = await db.collection<{ _id: string; name?: string }>('companies').find({}, { projection: { name: 1 } }).toArray();
  for (const [id, want] of stream.companies) {
    const got = companies.find((c) => c._id === id);
    if (got?.name !== want.name) wrong.push(`company ${id}: name ${got?.name ?? 'none'}, want ${want.name}`);
  }
  return { lost, wrong };
}

type SearchItem = PostingSnapshot & { companyName?: string };

async function searchAll(port: number, query: Record<string, string>): Promise<SearchItem[]> {
  const items: SearchItem[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 50; pages++) {
    const params = new URLSearchParams({ ...query, limit: '100', ...(cursor ? { cursor } : {}) });
    const res = await fetch(`http://127.0.0.1:${port}/v1/postings?${params.toString()}`);
    if (res.status !== 200) throw new Error(`search ${params.toString()} answered ${res.status}`);
    const body = (await res.json()) as { items: SearchItem[]; nextCursor: string | null };
    items.push(...body.items);
    if (!body.nextCursor) return items;
    cursor = body.nextCursor;
  }
  throw new Error('too many search pages');
}

/** The read API agrees: search holds exactly the open postings (current names, current tokens), closed ones are readable by id. */
async function readApiDiff(port: number, stream: PostingStream): Promise<string[]> {
  const wrong: string[] = [];
  const sameSet = (what: string, got: readonly string[], want: readonly string[]) => {
    const w = new Set(want);
    if (got.length !== want.length || got.some((id) => !w.has(id))) wrong.push(`${what}: ${got.length} results, want ${want.length}`);
  };
  const open = [...stream.postings].filter(([, p]) => p.status === 'published');
  const all = await searchAll(port, { q: stream.tag });
  sameSet(`search q=${stream.tag}`, all.map((i) => i.postingId), open.map(([id]) => id));
  for (const item of all) {
    const want = stream.postings.get(item.postingId);
    const name = want && stream.companies.get(want.companyId)?.name;
    if (!want || item.revision !== want.revision || item.title !== want.title || item.companyName !== name) {
      wrong.push(`search item ${item.postingId}: revision ${item.revision}, company ${item.companyName ?? 'none'}`);
    }
  }
  for (const [companyId, company] of stream.companies) {
    const mine = open.filter(([, p]) => p.companyId === companyId).map(([id]) => id);
    sameSet(`search companyId=${companyId}`, (await searchAll(port, { companyId })).map((i) => i.postingId), mine);
    sameSet(`search q=${company.token}`, (await searchAll(port, { q: company.token })).map((i) => i.postingId), mine);
    for (const old of company.oldTokens) sameSet(`search q=${old} (old name)`, (await searchAll(port, { q: old })).map((i) => i.postingId), []);
  }
  for (const [id, want] of stream.postings) {
    if (want.status !== 'closed') continue;
    const res = await fetch(`http://127.0.0.1:${port}/v1/postings/${id}`);
    const body = res.status === 200 ? ((await res.json()) as { posting: PostingSnapshot }) : undefined;
    if (body?.posting.status !== 'closed' || body.posting.revision !== want.revision) wrong.push(`GET ${id}: ${res.status} ${body?.posting.status ?? ''} r${body?.posting.revision ?? ''}`);
  }
  return wrong;
}

/** Listings projects the stream, is stopped with `signal` part-way, the rest is produced, it restarts. */
async function listingsScenario(name: string, signal: 'SIGKILL' | 'SIGTERM') {
  const stream = postingStream(name, 240);
  const db = `e2e_${runId}_${name}`;
  const groupId = `listings-e2e-${runId}-${name}`;
  const port = childPort();
  const env = testEnv({
    MONGO_URL: `${engines.mongoBase}/${db}`,
    KAFKA_GROUP_ID: groupId,
    KAFKA_HEALTH_INTERVAL_MS: '1000',
    SEARCH_INDEX: searchAliasOf(name),
    CONSUMER_FROM_BEGINNING: 'latest',
    CONSUMER_MAX_BATCH: '25',
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
  });
  const client = new mongo.MongoClient(`${engines.mongoBase}/${db}`, { serverSelectionTimeoutMS: 10_000 });
  await client.connect();
  const postings = client.db().collection<PostingDoc>('postings');
  const progress = async () => {
    const docs = await postings.find({}, { projection: { revision: 1 } }).toArray();
    return { postings: docs.length, revisions: docs.reduce((sum, d) => sum + (d.revision ?? 0), 0) };
  };
  try {
    const first = spawnService('listings', env);
    await waitReady(port);
    await groupPinned(groupId, ['companies', 'postings']);
    await groupPinned(`${groupId}-search-v2`, ['companies', 'postings']);
    const chunks = chunked(stream.events, 40);
    let sent = 0;
    // A few chunks, until some of it is projected; then one more, and the signal while that is in flight.
    while (sent < 3) await produce(chunks[sent++]);
    await eventually(async () => ((await progress()).postings > 0 ? true : undefined), 120_000, 100);
    await produce(chunks[sent++]);
    const exit = await stop(first, signal);
    const atStop = await progress();
    while (sent < chunks.length) await produce(chunks[sent++]);

    const second = spawnService('listings', env);
    try {
      await waitReady(port);
      // The group commits a slice only once its effects are durable: caught up means the read model is final.
      await eventually(async () => ((await caughtUp(groupId, ['companies', 'postings'])) ? true : undefined), 180_000, 1000).catch(() => undefined);
      // Search is its own projection (group <group>-search-v2): caught up, and past one index refresh.
      await eventually(async () => ((await caughtUp(`${groupId}-search-v2`, ['companies', 'postings'])) ? true : undefined), 180_000, 1000).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 1500));
      const { lost, wrong } = await readModelDiff(client.db(), stream);
      const apiWrong = lost.length === 0 && wrong.length === 0 ? await readApiDiff(port, stream) : [];
      return { stream, exit, atStop, lost, wrong: [...wrong, ...apiWrong], log: first.log() };
    } finally {
      await stop(second, 'SIGTERM');
    }
  } finally {
    await client.db().dropDatabase().catch(() => undefined);
    await client.close();
  }
}

// ----------------------------------------------------------------------------------- analytics

interface Counters {
  totalViews: number;
  applyClicks: number;
  scraps: number;
  mockApplicants: number;
  uniqueViewers: number;
}

/** Views, apply clicks, scraps and unscraps, mock applications of up to 40 viewers per posting. */
function engagementStream(name: string, postings: readonly string[], count: number) {
  const events: EventEnvelope[] = [];
  for (let i = 0; i < count; i++) {
    const postingId = postings[i % postings.length];
    const round = Math.floor(i / postings.length);
    const viewerId = `viewer-${round % 40}`;
    const pick = round % 10;
    const type = pick < 6 ? 'posting.viewed' : pick === 6 ? 'posting.apply-clicked' : pick === 7 ? 'posting.scrapped' : pick === 8 ? 'posting.unscrapped' : 'posting.mock-applied';
    events.push(createEvent(type, { postingId, viewerId }, `fault-${name}`));
  }
  const state = new Map(postings.map((p) => [p, { totalViews: 0, viewers: new Set<string>(), applyClicks: 0, scraps: new Set<string>(), mock: new Set<string>() }]));
  for (const e of events) {
    const s = state.get(e.key)!;
    const viewer = (e.data as { viewerId: string }).viewerId;
    if (e.type === 'posting.viewed') {
      s.totalViews++;
      s.viewers.add(viewer);
    } else if (e.type === 'posting.apply-clicked') s.applyClicks++;
    else if (e.type === 'posting.scrapped') s.scraps.add(viewer);
    else if (e.type === 'posting.unscrapped') s.scraps.delete(viewer);
    else s.mock.add(viewer);
  }
  const expected = new Map<string, Counters>(
    [...state].map(([p, s]) => [p, { totalViews: s.totalViews, applyClicks: s.applyClicks, scraps: s.scraps.size, mockApplicants: s.mock.size, uniqueViewers: s.viewers.size }]),
  );
  return { events, expected };
}

const COUNTERS = ['totalViews', 'applyClicks', 'scraps', 'mockApplicants', 'uniqueViewers'] as const;

// ------------------------------------------------------------------------------------ notifier

interface MailRecord {
  messageId?: string;
}

/** How often the SMTP sink received each of `wanted` (message ids are `<jobId>@jobstream.notifier`). */
async function deliveries(wanted: ReadonlySet<string>): Promise<Map<string, number>> {
  const res = await fetch(`${engines.smtpApi}/email`).catch(() => undefined);
  const counts = new Map<string, number>();
  if (!res?.ok) return counts;
  for (const mail of (await res.json()) as MailRecord[]) {
    const id = mail.messageId?.replace(/^<|>$/g, '');
    if (id && wanted.has(id)) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

const total = (counts: ReadonlyMap<string, number>) => [...counts.values()].reduce((a, b) => a + b, 0);

// --------------------------------------------------------------------------------------- specs

describe('consumers stopped mid-stream and restarted', () => {
  beforeAll(async () => {
    if (engines.external) throw new Error('fault tests run against scripts/engines.sh');
    await producer.connect();
  });

  afterAll(async () => {
    for (const child of running) child.kill('SIGKILL');
    await producer.disconnect();
  });

  it('listings: SIGKILL mid-stream, restart with the same group and database: the read model is exact', async () => {
    const r = await listingsScenario('kill', 'SIGKILL');
    process.stdout.write(
      `fault listings-sigkill: postings ${fmt(r.stream.postings.size)}, events ${fmt(r.stream.events.length)}, killed after ${fmt(r.atStop.postings)} postings (${fmt(r.atStop.revisions)} revisions) projected, lost: ${r.lost.length}, wrong: ${r.wrong.length}\n`,
    );
    expect(r.exit.signal).toBe('SIGKILL');
    expect({ lost: r.lost.slice(0, 5), wrong: r.wrong.slice(0, 5) }).toEqual({ lost: [], wrong: [] });
  }, 400_000);

  it('listings: SIGTERM mid-stream exits cleanly, and the restart ends with an exact read model', async () => {
    const r = await listingsScenario('term', 'SIGTERM');
    process.stdout.write(
      `fault listings-sigterm: postings ${fmt(r.stream.postings.size)}, events ${fmt(r.stream.events.length)}, SIGTERM after ${fmt(r.atStop.postings)} postings (${fmt(r.atStop.revisions)} revisions) projected, exit ${exitText(r.exit)}, lost: ${r.lost.length}, wrong: ${r.wrong.length}\n`,
    );
    expect(graceful(r.exit)).toBe(true);
    expect(r.log).toContain('"msg":"shutting down"');
    expect({ lost: r.lost.slice(0, 5), wrong: r.wrong.slice(0, 5) }).toEqual({ lost: [], wrong: [] });
  }, 400_000);

  it('analytics: SIGTERM mid-stream exits cleanly, and the restart ends with exact counters', async () => {
    const name = 'cs-term';
    const port = childPort();
    const env = analyticsEnv(name, { CONSUMER_FROM_BEGINNING: 'latest', CONSUMER_MAX_BATCH: '50', PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info' });
    const postings = Array.from({ length: 6 }, (_, i) => `posting-${runId}-cs-term-${i}`);
    const { events, expected } = engagementStream(name, postings, 3000);
    const stats = async (postingId: string): Promise<Counters | undefined> => {
      const res = await fetch(`http://127.0.0.1:${port}/v1/postings/${postingId}/stats`).catch(() => undefined);
      return res?.status === 200 ? ((await res.json()) as Counters) : undefined;
    };
    const viewsCounted = async () => (await Promise.all(postings.map(stats))).reduce((sum, s) => sum + (s?.totalViews ?? 0), 0);
    // Every 20th event of a chunk is sent twice: a producer retry the dedupe must absorb.
    let redelivered = 0;
    const sendChunk = (chunk: EventEnvelope[]) => {
      const again = chunk.filter((_, k) => k % 20 === 0);
      redelivered += again.length;
      return produce([...chunk, ...again]);
    };
    const chunks = chunked(events, 500);

    const first = spawnService('analytics', env);
    await waitReady(port);
    await groupPinned(`analytics-e2e-${runId}-${name}`, ['engagement']);
    let sent = 0;
    await sendChunk(chunks[sent++]);
    await eventually(async () => ((await viewsCounted()) > 0 ? true : undefined), 120_000, 100);
    await sendChunk(chunks[sent++]);
    const counted = await viewsCounted();
    const exit = await stop(first, 'SIGTERM');
    while (sent < chunks.length) await sendChunk(chunks[sent++]);

    const second = spawnService('analytics', env);
    const tally = { lost: 0, twice: 0, wrongPostings: 0 };
    try {
      await waitReady(port);
      const measure = async () => {
        const t = { lost: 0, twice: 0, wrongPostings: 0 };
        for (const [postingId, want] of expected) {
          const got = await stats(postingId);
          let off = false;
          for (const k of COUNTERS) {
            const g = got?.[k] ?? 0;
            if (g < want[k]) t.lost += want[k] - g;
            if (g > want[k]) t.twice += g - want[k];
            off ||= g !== want[k];
          }
          if (off) t.wrongPostings++;
        }
        return t;
      };
      await eventually(async () => ((await measure()).wrongPostings === 0 ? true : undefined), 180_000, 500).catch(() => undefined);
      Object.assign(tally, await measure());
    } finally {
      await stop(second, 'SIGTERM');
    }
    process.stdout.write(
      `fault analytics-sigterm: postings ${postings.length}, events ${fmt(events.length)} (+${fmt(redelivered)} redelivered), SIGTERM after ${fmt(counted)} views counted, exit ${exitText(exit)}, lost: ${tally.lost}, counted twice: ${tally.twice}, wrong postings: ${tally.wrongPostings}\n`,
    );
    expect(graceful(exit)).toBe(true);
    expect(first.log()).toContain('"msg":"shutting down"');
    expect(counted).toBeGreaterThan(0);
    expect(tally).toEqual({ lost: 0, twice: 0, wrongPostings: 0 });
  }, 400_000);

  it('notifier: SIGTERM while emails queue up exits cleanly; after the restart each email is delivered exactly once', async () => {
    const name = 'cs-term';
    const port = childPort();
    const groupId = `notifier-e2e-${runId}-${name}`;
    const env = testEnv({
      KAFKA_GROUP_ID: groupId,
      NOTIFIER_QUEUE_PREFIX: `e2e-${runId}-${name}`,
      KAFKA_HEALTH_INTERVAL_MS: '1000',
      CONSUMER_FROM_BEGINNING: 'latest',
      CONSUMER_MAX_BATCH: '10',
      NOTIFIER_RATE_MAX: '4',
      NOTIFIER_RATE_WINDOW_MS: '1000',
      NOTIFIER_BACKOFF_BASE_MS: '200',
      NOTIFIER_BACKOFF_MAX_MS: '2000',
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
    });
    // Two postings with a recruiter each; 60 outcomes, every third accepted (candidate + recruiter email).
    const postingIds = [0, 1].map((p) => `cs-${runId}-notify-p${p}`);
    const teams = postingIds.map((postingId, p) =>
      createEvent('hiring-team.updated', { postingId, companyId: `cs-${runId}-notify`, revision: 1, postingTitle: `Shutdown role ${p}`, members: [{ name: `Rec ${p}`, email: `cs-rec-${runId}-${p}@recruiters.test` }] }, 'fault'),
    );
    const outcomes: EventEnvelope[] = [];
    const wanted = new Set<string>();
    let firstWave = 0;
    for (let i = 0; i < 60; i++) {
      const data = {
        applicationId: `cs-app-${runId}-${i}`,
        candidateId: `cs-cand-${runId}-${i}`,
        postingId: postingIds[i % 2],
        postingTitle: `Shutdown role ${i % 2}`,
        applicant: { name: `Candidate ${i}`, email: `cs-${runId}-${i}@candidates.test`, resumeUrl: 'https://cv.example/cs.pdf' },
        decidedAt: new Date().toISOString(),
      };
      const event = i % 3 === 0 ? createEvent('application.accepted', data, 'fault') : createEvent('application.rejected', { ...data, reason: 'POSTING_CLOSED' }, 'fault');
      outcomes.push(event);
      wanted.add(`${jobIdOf(event.id, 'candidate')}@jobstream.notifier`);
      if (event.type === 'application.accepted') wanted.add(`${jobIdOf(event.id, 'recruiters')}@jobstream.notifier`);
      if (i === 39) firstWave = wanted.size; // the emails of the outcomes produced before the SIGTERM
    }

    const first = spawnService('notifier', env);
    await waitReady(port);
    await groupPinned(groupId, ['hiring-teams', 'application-outcomes']);
    await produce(teams);
    await produce(outcomes.slice(0, 40));
    await eventually(async () => (total(await deliveries(wanted)) >= 6 ? true : undefined), 120_000, 200);
    const atSignal = total(await deliveries(wanted));
    const exit = await stop(first, 'SIGTERM');
    const atStop = total(await deliveries(wanted));
    await produce(outcomes.slice(40));

    const second = spawnService('notifier', env);
    let counts = new Map<string, number>();
    try {
      await waitReady(port);
      await eventually(async () => (total(await deliveries(wanted)) >= wanted.size ? true : undefined), 180_000, 1000).catch(() => undefined);
      await sleep(5000); // anything sent twice would show up now
      counts = await deliveries(wanted);
    } finally {
      await stop(second, 'SIGTERM');
    }
    const lost = [...wanted].filter((id) => !counts.has(id)).length;
    const twice = [...counts.values()].filter((n) => n > 1).length;
    process.stdout.write(
      `fault notifier-sigterm: emails expected ${wanted.size}, delivered ${total(counts)}, SIGTERM after ${atSignal} delivered (${atStop} once it had exited, ${firstWave} enqueued by then), exit ${exitText(exit)}, lost: ${lost}, sent twice: ${twice}\n`,
    );
    expect(graceful(exit)).toBe(true);
    expect(first.log()).toContain('"msg":"shutting down"');
    expect(atStop).toBeLessThan(wanted.size);
    expect({ lost, twice }).toEqual({ lost: 0, twice: 0 });
  }, 400_000);
});
