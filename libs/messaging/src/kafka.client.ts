import { Kafka, logLevel, type LogEntry } from 'kafkajs';
import type { Logger } from 'pino';
import type { ConfigOf } from '@jobstream/platform/config';
import type { KafkaConfigSpec } from './messaging.config';

export type KafkaConfig = ConfigOf<typeof KafkaConfigSpec>;

const LEVELS: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/** The only place that builds a kafkajs client; everything else depends on the interfaces here. */
export function createKafka(config: KafkaConfig, clientId: string, logger: Logger): Kafka {
  const log = logger.child({ component: 'kafkajs' });
  return new Kafka({
    clientId: config.KAFKA_CLIENT_ID || clientId,
    brokers: config.KAFKA_BROKERS,
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
