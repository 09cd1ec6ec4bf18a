import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');

/** Addresses of the engines; the defaults match scripts/engines.sh, overrides point at compose. */
export const engines = {
  kafkaBrokers: process.env.KAFKA_BROKERS ?? `127.0.0.1:${process.env.KAFKA_PORT ?? 9092}`,
  mongoBase: process.env.TEST_MONGO_BASE_URL ?? `mongodb://127.0.0.1:${process.env.FERRETDB_PORT ?? 27017}`,
  redisUrl: process.env.REDIS_URL ?? `redis://127.0.0.1:${process.env.REDIS_PORT ?? 6379}`,
  smtpUrl: process.env.SMTP_URL ?? `smtp://127.0.0.1:${process.env.SMTP_PORT ?? 1025}`,
  smtpApi: process.env.TEST_SMTP_API_URL ?? `http://127.0.0.1:${process.env.SMTP_HTTP_PORT ?? 1080}`,
  opensearchUrl: process.env.OPENSEARCH_URL ?? `http://127.0.0.1:${process.env.OPENSEARCH_PORT ?? 9200}`,
  /**
   * The broker admin (a super user) that tests and test services authenticate as: scripts/engines.sh
   * creates it with these defaults; compose runs pass theirs.
   */
  kafkaSasl: {
    mechanism: 'scram-sha-512' as const,
    username: process.env.KAFKA_ADMIN_USERNAME ?? 'admin',
    password: process.env.KAFKA_ADMIN_PASSWORD ?? 'jobstream-local-admin',
  },
  /** Set when the engines are managed elsewhere (compose): tests then never start or stop them. */
  external: process.env.JOBSTREAM_EXTERNAL_ENGINES === '1',
};

export function enginesScript(...args: string[]): string {
  return execFileSync('bash', [join(ROOT, 'scripts', 'engines.sh'), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 300_000 });
}

/** A short id unique to this run, so databases and consumer groups of runs never mix. */
export const runId = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/**
 * A port for a service a test starts as a child process: above the kernel's ephemeral range
 * (32768–60999 by default), so it never collides with a port the OS handed to an in-process
 * server or a client socket, which a readiness probe could mistake for the child.
 */
export function childPort(): number {
  return 61000 + Math.floor(Math.random() * 4000);
}
