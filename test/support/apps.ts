import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { loadConfig } from '../../libs/platform/src/config';
import { createLogger } from '../../libs/platform/src/logger';
import { IngestConfigSpec } from '../../apps/ingest/src/ingest.config';
import { createIngestApp } from '../../apps/ingest/src/ingest.app';
import { ListingsConfigSpec } from '../../apps/listings/src/listings.config';
import { createListingsApp } from '../../apps/listings/src/listings.app';
import { engines, runId } from './engines';

const logLevel = process.env.TEST_LOG_LEVEL ?? 'warn';

export function testEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { KAFKA_BROKERS: engines.kafkaBrokers, REDIS_URL: engines.redisUrl, SMTP_URL: engines.smtpUrl, LOG_LEVEL: logLevel, ...extra };
}

export async function startIngest(extra: Record<string, string> = {}): Promise<INestApplication> {
  const config = loadConfig(IngestConfigSpec, testEnv({ KAFKA_HEALTH_INTERVAL_MS: '1000', ...extra }));
  const app = await createIngestApp(config, createLogger('ingest', logLevel));
  await app.init();
  return app;
}

/** Listings with its own database and consumer group, reading the topics from the beginning. */
export async function startListings(name: string, extra: Record<string, string> = {}): Promise<{ app: INestApplication; groupId: string; db: string }> {
  const db = `e2e_${runId}_${name}`;
  const groupId = `listings-e2e-${runId}-${name}`;
  const config = loadConfig(
    ListingsConfigSpec,
    testEnv({ MONGO_URL: `${engines.mongoBase}/${db}`, KAFKA_GROUP_ID: groupId, KAFKA_HEALTH_INTERVAL_MS: '1000', ...extra }),
  );
  const app = await createListingsApp(config, createLogger('listings', logLevel));
  await app.init();
  return { app, groupId, db };
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

export async function waitReady(app: INestApplication, timeoutMs = 30_000): Promise<void> {
  await eventually(async () => ((await request(app.getHttpServer()).get('/health/ready')).status === 200 ? true : undefined), timeoutMs);
}
