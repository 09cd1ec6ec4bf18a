import { createHash } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Admin, Kafka, Producer } from 'kafkajs';
import Redis from 'ioredis';
import mongoose from 'mongoose';
import type { Engines } from './engines';
import { ROOT, stopPrivateKafka } from './engines';
import { benchKafka, benchKafkaSasl, durableProducer, provision } from './kafka';
import type { BenchOptions } from './plan';
import type { ResultRow } from './report';
import { Fleet, type ServiceProcess } from './services';
import { getJson, request } from './http';
import { errorText, log, mapLimit } from './util';

export type MongoClient = InstanceType<typeof mongoose.mongo.MongoClient>;

/** The bench's operator key for ingest (only its SHA-256 is configured). */
export const OPERATOR_KEY = 'bench-operator-key';
export const asOperator = { Authorization: `Bearer ${OPERATOR_KEY}` };

export interface BenchContext {
  runId: string;
  options: BenchOptions;
  engines: Engines;
  fleet: Fleet;
  kafka: Kafka;
  admin: Admin;
  /** Produces backlogs (not measured). */
  producer: Producer;
  redis: Redis;
  mongo: MongoClient;
  rows: ResultRow[];
  notes: string[];
  services: Partial<Record<'ingest' | 'listings' | 'analytics' | 'notifier', ServiceProcess>>;
  /** Postings the listings service projected in the consumers phase (the lag phase engages with them). */
  projectedPostings: string[];
  cleanup: { redisPrefixes: Set<string>; databases: Set<string>; groups: Set<string>; emailDomain: string };
}

export async function createContext(options: BenchOptions, engines: Engines): Promise<BenchContext> {
  const runId = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
  const kafka = benchKafka(engines.kafkaBrokers, `bench-${runId}`);
  await provision(kafka);
  const admin = kafka.admin();
  await admin.connect();
  const producer = durableProducer(kafka, 5);
  await producer.connect();
  const redis = new Redis(engines.redisUrl, { maxRetriesPerRequest: 20, lazyConnect: false });
  const mongo = new mongoose.mongo.MongoClient(engines.mongoBase, { retryWrites: false, serverSelectionTimeoutMS: 10_000 });
  await mongo.connect();
  return {
    runId,
    options,
    engines,
    fleet: new Fleet(runId, options.profile, options.serviceEnv),
    kafka,
    admin,
    producer,
    redis,
    mongo,
    rows: [],
    notes: Object.keys(options.serviceEnv).length > 0 || options.logLevel !== 'info' ? [`what-if run: services started with LOG_LEVEL=${options.logLevel} ${Object.entries(options.serviceEnv).map(([k, v]) => `${k}=${v}`).join(' ')}`] : [],
    services: {},
    projectedPostings: [],
    cleanup: { redisPrefixes: new Set(), databases: new Set(), groups: new Set(), emailDomain: `${runId}.bench.example` },
  };
}

/** Env every service of the run shares. */
export function commonEnv(ctx: BenchContext): Record<string, string> {
  return {
    KAFKA_BROKERS: ctx.engines.kafkaBrokers,
    KAFKA_SASL_USERNAME: benchKafkaSasl.username,
    KAFKA_SASL_PASSWORD: benchKafkaSasl.password,
    REDIS_URL: ctx.engines.redisUrl,
    OPENSEARCH_URL: ctx.engines.opensearchUrl,
    // Listings' search projection writes the shared OpenSearch node: under this run's own names.
    SEARCH_INDEX: searchAlias(ctx),
    SEARCH_RATE_LIMIT: '100000000',
    SEARCH_RATE_LIMIT_KEY_PREFIX: `bench:${ctx.runId}:search:`,
    LOG_LEVEL: ctx.options.logLevel,
  };
}

/** The search alias listings uses in this run; its indices are `<alias>-<build>`, deleted at teardown. */
export function searchAlias(ctx: BenchContext): string {
  return `bench-${ctx.runId}-postings`.toLowerCase();
}

export const operatorKeyEntry = () => `bench:operator:*:${createHash('sha256').update(OPERATOR_KEY).digest('hex')}`;

export function database(ctx: BenchContext, name: string): string {
  const db = `bench_${ctx.runId}_${name}`;
  ctx.cleanup.databases.add(db);
  return db;
}

export function redisPrefix(ctx: BenchContext, name: string, separator = ':'): string {
  const prefix = `bench${separator}${ctx.runId}${separator}${name}`;
  ctx.cleanup.redisPrefixes.add(prefix);
  return prefix;
}

export function groupId(ctx: BenchContext, name: string): string {
  const id = `bench-${ctx.runId}-${name}`;
  ctx.cleanup.groups.add(id);
  return id;
}

/** Deletes every key under the run's prefixes in one pass over the (shared) keyspace. */
async function deleteRedisPrefixes(redis: Redis, runId: string, prefixes: ReadonlySet<string>): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  const ours = (key: string) => [...prefixes].some((p) => key.startsWith(p));
  do {
    // bench:<run>:… and bench-<run>-… (BullMQ prefixes can't contain ':')
    const [next, keys] = await redis.scan(cursor, 'MATCH', `bench?${runId}?*`, 'COUNT', 5000);
    cursor = next;
    const mine = keys.filter(ours);
    if (mine.length > 0) deleted += await redis.unlink(...mine);
  } while (cursor !== '0');
  return deleted;
}

/** The emails this run sent to the shared SMTP sink (recipients under the run's own domain). */
async function deleteEmails(api: string, domain: string): Promise<number> {
  const res = await getJson(`${api}/email`, 60_000);
  if (res.status !== 200) return 0;
  const mails = JSON.parse(res.body) as { id: string; to?: { address?: string }[] }[];
  const ours = mails.filter((m) => (m.to ?? []).some((t) => (t.address ?? '').endsWith(`@${domain}`)));
  await mapLimit(ours, 8, (m) => request('DELETE', `${api}/email/${m.id}`, undefined, {}, 30_000));
  return ours.length;
}

/**
 * FerretDB's dropDatabase removes `<db>.sqlite` but has been seen to leave its `-wal`/`-shm` files
 * behind when a client was killed mid-write (the lag phase SIGKILLs a listings stuck behind SQLite
 * locks). Those of this run's own databases are removed once the database file itself is gone.
 */
function removeOrphanSqliteFiles(databases: ReadonlySet<string>): string {
  const dir = join(process.env.JOBSTREAM_LOCAL_DIR ?? join(ROOT, '.local'), 'data', 'ferretdb');
  let removed = 0;
  for (const db of databases) {
    if (existsSync(join(dir, `${db}.sqlite`))) continue;
    for (const suffix of ['-wal', '-shm']) {
      const file = join(dir, `${db}.sqlite${suffix}`);
      if (existsSync(file)) {
        rmSync(file, { force: true });
        removed++;
      }
    }
  }
  return removed > 0 ? ` (and ${removed} orphaned SQLite -wal/-shm files)` : '';
}

/** Stops the services, removes what the run left in the shared engines, stops the private broker. */
export async function teardown(ctx: BenchContext): Promise<void> {
  ctx.fleet.phase = 'teardown';
  await ctx.fleet.stopAll();
  const steps: [string, () => Promise<string>][] = [
    ['redis keys', async () => `${await deleteRedisPrefixes(ctx.redis, ctx.runId, ctx.cleanup.redisPrefixes)} keys`],
    ['databases', async () => {
      for (const db of ctx.cleanup.databases) await ctx.mongo.db(db).dropDatabase();
      return `${ctx.cleanup.databases.size} dropped${removeOrphanSqliteFiles(ctx.cleanup.databases)}`;
    }],
    ['emails', async () => `${await deleteEmails(ctx.engines.smtpApi, ctx.cleanup.emailDomain)} deleted from the SMTP sink`],
    ['search indices', async () => {
      const res = await fetch(`${ctx.engines.opensearchUrl}/${searchAlias(ctx)}-*`, { method: 'DELETE' });
      return `${searchAlias(ctx)}-*: ${res.status}`;
    }],
    ['kafka', async () => {
      if (ctx.engines.kafkaPrivate) return 'private broker stopped below';
      const groups = [...ctx.cleanup.groups];
      await ctx.admin.deleteGroups(groups).catch(() => undefined);
      const topics = (await ctx.admin.listTopics()).filter((t) => groups.some((g) => t === `dlq.${g}` || t === `redrive.${g}`));
      if (topics.length > 0) await ctx.admin.deleteTopics({ topics });
      return `${groups.length} groups, ${topics.length} topics deleted`;
    }],
  ];
  await Promise.all(
    steps.map(async ([name, step]) => {
      try {
        log(`cleanup: ${name}: ${await step()}`);
      } catch (err) {
        log(`cleanup: ${name} failed: ${errorText(err)}`);
      }
    }),
  );
  await ctx.producer.disconnect().catch(() => undefined);
  await ctx.admin.disconnect().catch(() => undefined);
  ctx.redis.disconnect();
  await ctx.mongo.close().catch(() => undefined);
  await stopPrivateKafka(ctx.engines);
}
