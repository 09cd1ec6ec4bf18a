import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createHash, randomUUID } from 'node:crypto';
import { Kafka, logLevel as KafkaLogLevel } from 'kafkajs';
import { loadConfig } from '../../libs/platform/src/config';
import { createLogger } from '../../libs/platform/src/logger';
import { IngestConfigSpec } from '../../apps/ingest/src/ingest.config';
import { createIngestApp } from '../../apps/ingest/src/ingest.app';
import { ListingsConfigSpec } from '../../apps/listings/src/listings.config';
import { createListingsApp } from '../../apps/listings/src/listings.app';
import { NotifierConfigSpec } from '../../apps/notifier/src/notifier.config';
import { createNotifierApp } from '../../apps/notifier/src/notifier.app';
import { engines, runId } from './engines';

const logLevel = process.env.TEST_LOG_LEVEL ?? 'warn';

/** Test services authenticate as the broker admin; test/kafka-acl.e2e-spec.ts checks the per-service principals. */
export const kafkaAuthEnv = (): Record<string, string> => ({ KAFKA_SASL_USERNAME: engines.kafkaSasl.username, KAFKA_SASL_PASSWORD: engines.kafkaSasl.password });

export function testEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { KAFKA_BROKERS: engines.kafkaBrokers, ...kafkaAuthEnv(), REDIS_URL: engines.redisUrl, SMTP_URL: engines.smtpUrl, OPENSEARCH_URL: engines.opensearchUrl, LOG_LEVEL: logLevel, ...extra };
}

/** API keys every test ingest accepts: an operator, and a recruiter scoped to `recruiter-<company>` companies. */
export const testKeys = { operator: 'test-operator-key', recruiter: 'test-recruiter-key', recruiterCompanies: [`rc-a-${runId}`, `rc-b-${runId}`] };
const keyHash = (key: string) => createHash('sha256').update(key).digest('hex');
export const testApiKeys = `e2e-ops:operator:*:${keyHash(testKeys.operator)},e2e-ats:recruiter:${testKeys.recruiterCompanies.join('+')}:${keyHash(testKeys.recruiter)}`;
export const asOperator = { Authorization: `Bearer ${testKeys.operator}` };
export const asRecruiter = { Authorization: `Bearer ${testKeys.recruiter}` };

export async function startIngest(extra: Record<string, string> = {}): Promise<INestApplication> {
  const config = loadConfig(
    IngestConfigSpec,
    // Each ingest its own rate-limit budget: every suite calls from localhost, and one suite's requests
    // (the fuzzer sends thousands) must not spend the next one's.
    testEnv({ KAFKA_HEALTH_INTERVAL_MS: '1000', INGEST_API_KEYS: testApiKeys, INGEST_REGISTRY_PREFIX: `e2e:${runId}:registry:`, INGEST_RATE_LIMIT_KEY_PREFIX: `e2e:${runId}:${randomUUID()}:ratelimit:`, ...extra }),
  );
  const app = await createIngestApp(config, createLogger('ingest', logLevel));
  await app.init();
  return app;
}

/** The search alias of a test listings: one per run and name, like its database. */
export const searchAliasOf = (name: string) => `e2e-${runId}-${name}`.toLowerCase();

/** Listings with its own database, consumer groups, search alias and rate-limit keys, reading the topics from the beginning. */
export async function startListings(name: string, extra: Record<string, string> = {}): Promise<{ app: INestApplication; groupId: string; db: string }> {
  const db = `e2e_${runId}_${name}`;
  const groupId = `listings-e2e-${runId}-${name}`;
  const config = loadConfig(
    ListingsConfigSpec,
    testEnv({ MONGO_URL: `${engines.mongoBase}/${db}`, KAFKA_GROUP_ID: groupId, KAFKA_HEALTH_INTERVAL_MS: '1000', SEARCH_INDEX: searchAliasOf(name), SEARCH_RATE_LIMIT_KEY_PREFIX: `e2e:${runId}:${name}:search:`, ...extra }),
  );
  const app = await createListingsApp(config, createLogger('listings', logLevel));
  await app.init();
  await app.startAllMicroservices();
  return { app, groupId, db };
}

/**
 * Waits until a listings consumer that joined at the end of the topics is really consuming:
 * a marker company posted now shows up. Events published after this are all seen.
 */
export async function syncListings(ingest: INestApplication, listings: INestApplication, timeoutMs = 60_000): Promise<void> {
  const marker = `sync-${runId}-${Math.random().toString(36).slice(2, 8)}`;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    await request(ingest.getHttpServer()).post('/v1/companies').set(asOperator).send({ companyId: marker, name: 'sync marker' }).expect(202);
    const seen = await eventually(async () => ((await request(listings.getHttpServer()).get(`/v1/companies/${marker}`)).status === 200 ? true : undefined), 5_000).catch(() => false);
    if (seen) return;
  }
  throw new Error(`listings did not start consuming within ${timeoutMs} ms`);
}

/** Polls until `check` returns a value, or fails with the last error after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 30_000, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms${last instanceof Error ? `: ${last.message}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Polls /health/ready until it answers 200; a timeout names the checks that were still down. */
export async function waitReady(app: INestApplication, timeoutMs = 30_000): Promise<void> {
  await eventually(async () => {
    const res = await request(app.getHttpServer()).get('/health/ready');
    if (res.status === 200) return true;
    throw new Error(`/health/ready answered ${res.status}: ${JSON.stringify(res.body)}`);
  }, timeoutMs);
}

/**
 * Analytics with its own database, consumer group and Redis key prefix, so runs never share state.
 * Pass the same `name` (and so the same group, database and prefix) to restart "the same" analytics.
 */
export function analyticsEnv(name: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return testEnv({
    MONGO_URL: `${engines.mongoBase}/e2e_${runId}_${name}`,
    KAFKA_GROUP_ID: `analytics-e2e-${runId}-${name}`,
    ANALYTICS_REDIS_PREFIX: `e2e:${runId}:${name}:`,
    KAFKA_HEALTH_INTERVAL_MS: '1000',
    ...extra,
  });
}

export async function startAnalytics(name: string, extra: Record<string, string> = {}): Promise<{ app: INestApplication; groupId: string; prefix: string }> {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { AnalyticsConfigSpec } = require('../../apps/analytics/src/analytics.config') as typeof import('../../apps/analytics/src/analytics.config');
  const { createAnalyticsApp } = require('../../apps/analytics/src/analytics.app') as typeof import('../../apps/analytics/src/analytics.app');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const config = loadConfig(AnalyticsConfigSpec, analyticsEnv(name, extra));
  const app = await createAnalyticsApp(config, createLogger('analytics', logLevel));
  await app.init();
  await app.startAllMicroservices();
  return { app, groupId: config.KAFKA_GROUP_ID, prefix: config.ANALYTICS_REDIS_PREFIX };
}

/** Notifier with its own consumer group and queue prefix (so runs never share jobs or dedupe state). */
export async function startNotifier(name: string, extra: Record<string, string> = {}): Promise<{ app: INestApplication; groupId: string; prefix: string }> {
  const groupId = `notifier-e2e-${runId}-${name}`;
  const prefix = `e2e-${runId}-${name}`;
  const config = loadConfig(NotifierConfigSpec, testEnv({ KAFKA_GROUP_ID: groupId, NOTIFIER_QUEUE_PREFIX: prefix, KAFKA_HEALTH_INTERVAL_MS: '1000', ...extra }));
  const app = await createNotifierApp(config, createLogger('notifier', logLevel));
  await app.init();
  await app.startAllMicroservices();
  return { app, groupId, prefix };
}

/**
 * Waits until a group started at `latest` has pinned its start (committed every partition of
 * `topics`): events published after this are all seen by it, whatever rebalances follow.
 */
export async function groupPinned(groupId: string, topics: readonly string[], timeoutMs = 60_000): Promise<void> {
  const admin = new Kafka({ clientId: 'e2e-pin-check', brokers: [engines.kafkaBrokers], sasl: engines.kafkaSasl, logLevel: KafkaLogLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await eventually(async () => {
      const offsets = await admin.fetchOffsets({ groupId, topics: [...topics] });
      return offsets.every((t) => t.partitions.every((p) => Number(p.offset) >= 0)) ? true : undefined;
    }, timeoutMs, 250);
  } finally {
    await admin.disconnect();
  }
}
