import { readFileSync } from 'node:fs';
import { Kafka, logLevel, type LogEntry } from 'kafkajs';
import type { Logger } from 'pino';
import { ConfigError, type ConfigOf } from '@jobstream/platform/config';
import type { KafkaConfigSpec } from './messaging.config';
import { fixIdleRequestQueueTimer } from './kafkajs-request-queue.fix';

export type KafkaConfig = ConfigOf<typeof KafkaConfigSpec>;

const LEVELS: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

export interface ScramOptions {
  readonly mechanism: 'scram-sha-512';
  readonly username: string;
  readonly password: string;
}

/** One set of Kafka credentials and the names of the variables they came from (for errors). */
export interface SaslSettings {
  readonly mechanism: 'scram-sha-512' | 'none';
  readonly username: string;
  readonly password: string;
  readonly passwordFile: string;
  /** Variable prefix, e.g. `KAFKA_SASL` or `KAFKA_SEARCH_SASL`. */
  readonly prefix: string;
}

export const saslSettingsOf = (config: KafkaConfig): SaslSettings => ({
  mechanism: config.KAFKA_SASL_MECHANISM,
  username: config.KAFKA_SASL_USERNAME,
  password: config.KAFKA_SASL_PASSWORD,
  passwordFile: config.KAFKA_SASL_PASSWORD_FILE,
  prefix: 'KAFKA_SASL',
});

/**
 * The kafkajs SASL options, or undefined for an unauthenticated client. Throws a ConfigError naming
 * the variable when a credential is missing or its file unreadable; the password is never in it.
 */
export function kafkaSasl(s: SaslSettings): ScramOptions | undefined {
  if (s.mechanism === 'none') return undefined;
  if (!s.username) throw new ConfigError(`${s.prefix}_USERNAME`, `is required when KAFKA_SASL_MECHANISM is ${s.mechanism}`);
  if (s.password && s.passwordFile) throw new ConfigError(`${s.prefix}_PASSWORD_FILE`, `and ${s.prefix}_PASSWORD are both set; give one`);
  let password = s.password;
  if (s.passwordFile) {
    try {
      // A secret file written by an editor or `echo` ends in a newline that is not part of the password.
      password = readFileSync(s.passwordFile, 'utf8').replace(/\r?\n$/, '');
    } catch (err) {
      throw new ConfigError(`${s.prefix}_PASSWORD_FILE`, `can't be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  if (!password) throw new ConfigError(`${s.prefix}_PASSWORD`, `or ${s.prefix}_PASSWORD_FILE is required when KAFKA_SASL_MECHANISM is ${s.mechanism}`);
  return { mechanism: 'scram-sha-512', username: s.username, password };
}

/** The only place that builds a kafkajs client; everything else depends on the interfaces here. */
export function createKafka(config: KafkaConfig, clientId: string, logger: Logger, sasl: SaslSettings = saslSettingsOf(config)): Kafka {
  const log = logger.child({ component: 'kafkajs' });
  fixIdleRequestQueueTimer();
  return new Kafka({
    clientId: config.KAFKA_CLIENT_ID || clientId,
    brokers: config.KAFKA_BROKERS,
    sasl: kafkaSasl(sasl),
    connectionTimeout: config.KAFKA_CONNECTION_TIMEOUT_MS,
    requestTimeout: config.KAFKA_REQUEST_TIMEOUT_MS,
    retry: { initialRetryTime: 200, maxRetryTime: 5000, retries: 5 },
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log: entry }: LogEntry) => {
        const { message, ...rest } = entry;
        // Our writes are bounded by KAFKA_SEND_TIMEOUT_MS and answered 503 when not acknowledged,
        // so the idempotent producer's retries are bounded on purpose; the warning is expected.
        if (message.startsWith('Limiting retries for the idempotent producer')) return;
        log[LEVELS[level] ?? 'info'](rest, message);
      },
  });
}
