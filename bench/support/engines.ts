import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { log } from './util';

export const ROOT = join(__dirname, '..', '..');
const ENGINES_SH = join(ROOT, 'scripts', 'engines.sh');

/**
 * Where the bench's engines are. FerretDB, Redis and the SMTP sink are the shared local engines of
 * scripts/engines.sh (same env vars: FERRETDB_PORT, REDIS_PORT, SMTP_PORT, SMTP_HTTP_PORT); the bench
 * uses its own databases, Redis prefixes and recipient domain there and removes them afterwards.
 *
 * Kafka is a private broker (the same scripts/engines.sh Kafka, state in .local/bench, ports
 * BENCH_KAFKA_PORT/BENCH_KAFKA_CONTROLLER_PORT, default 29092/29093): a full run produces about a
 * million events, and topics can't be namespaced, so on the shared broker they would stay in the
 * `engagement`/`postings` history that every e2e consumer group reading from the beginning replays.
 * BENCH_KAFKA_BROKERS=host:port uses an existing broker instead (and leaves its history there).
 */
export interface Engines {
  kafkaBrokers: string;
  kafkaPrivate: boolean;
  mongoBase: string;
  redisUrl: string;
  smtpUrl: string;
  smtpApi: string;
  /** The shared local OpenSearch node (OPENSEARCH_PORT); the bench's indices are named bench-<run>-*. */
  opensearchUrl: string;
  versions: string[];
}

const env = process.env;
const privateKafkaEnv = (): NodeJS.ProcessEnv => ({
  ...env,
  JOBSTREAM_LOCAL_DIR: join(ROOT, '.local', 'bench'),
  KAFKA_PORT: env.BENCH_KAFKA_PORT ?? '29092',
  KAFKA_CONTROLLER_PORT: env.BENCH_KAFKA_CONTROLLER_PORT ?? '29093',
});

function enginesSh(args: string[], environment: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('bash', [ENGINES_SH, ...args], { env: environment, encoding: 'utf8', timeout: 600_000, maxBuffer: 10 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`scripts/engines.sh ${args.join(' ')} failed: ${err.message}\n${stderr.trim().split('\n').slice(-10).join('\n')}`));
      else resolve(stdout);
    });
  });
}

export async function ensureEngines(): Promise<Engines> {
  let kafkaBrokers = env.BENCH_KAFKA_BROKERS ?? '';
  const kafkaPrivate = kafkaBrokers === '';
  const e = privateKafkaEnv();
  log('engines: starting the shared FerretDB, Redis and SMTP sink if needed (scripts/engines.sh)');
  if (kafkaPrivate) log(`engines: starting the bench's private Kafka on 127.0.0.1:${e.KAFKA_PORT} (state in .local/bench)`);
  await Promise.all([enginesSh(['start', 'ferretdb', 'redis', 'smtp', 'opensearch'], env), kafkaPrivate ? enginesSh(['start', 'kafka'], e) : Promise.resolve('')]);
  const versions = (await enginesSh(['versions', 'ferretdb', 'redis', 'smtp', 'opensearch'], env)).trim().split('\n');
  if (kafkaPrivate) {
    kafkaBrokers = `127.0.0.1:${e.KAFKA_PORT}`;
    versions.unshift(...(await enginesSh(['versions', 'kafka'], e)).trim().split('\n').map((l) => `${l} [bench-private broker ${kafkaBrokers}]`));
  } else {
    versions.unshift(`kafka: external broker ${kafkaBrokers} (BENCH_KAFKA_BROKERS)`);
  }
  return {
    kafkaBrokers,
    kafkaPrivate,
    mongoBase: env.BENCH_MONGO_BASE_URL ?? `mongodb://127.0.0.1:${env.FERRETDB_PORT ?? 27017}`,
    redisUrl: env.REDIS_URL ?? `redis://127.0.0.1:${env.REDIS_PORT ?? 6379}`,
    smtpUrl: env.SMTP_URL ?? `smtp://127.0.0.1:${env.SMTP_PORT ?? 1025}`,
    smtpApi: env.BENCH_SMTP_API_URL ?? `http://127.0.0.1:${env.SMTP_HTTP_PORT ?? 1080}`,
    opensearchUrl: env.OPENSEARCH_URL ?? `http://127.0.0.1:${env.OPENSEARCH_PORT ?? 9200}`,
    versions,
  };
}

/** Stops the private broker and removes its data (the shared engines stay as they are). */
export async function stopPrivateKafka(engines: Engines): Promise<void> {
  if (!engines.kafkaPrivate) return;
  const e = privateKafkaEnv();
  try {
    await enginesSh(['stop', 'kafka'], e);
    rmSync(join(e.JOBSTREAM_LOCAL_DIR!, 'data', 'kafka'), { recursive: true, force: true });
  } catch (err) {
    log(`engines: could not stop the private Kafka: ${(err as Error).message}`);
  }
}
