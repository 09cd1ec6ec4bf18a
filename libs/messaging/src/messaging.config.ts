import { int, list, oneOf, str } from '@jobstream/platform/config';

/** Kafka settings every service shares. */
export const KafkaConfigSpec = {
  KAFKA_BROKERS: list({
    description: 'Kafka bootstrap brokers',
    default: ['127.0.0.1:9092'],
    itemPattern: /^[A-Za-z0-9.-]+:\d{1,5}$/,
    hint: 'host:port',
  }),
  KAFKA_CLIENT_ID: str({ description: 'Kafka client id (defaults to the service name)', default: '' }),
  KAFKA_CONNECTION_TIMEOUT_MS: int({ description: 'Kafka connection timeout', default: 3000, min: 100 }),
  KAFKA_REQUEST_TIMEOUT_MS: int({ description: 'Kafka request timeout', default: 10000, min: 100 }),
  KAFKA_SEND_TIMEOUT_MS: int({
    description: 'How long a write waits for the broker acknowledgement before answering 503',
    default: 8000,
    min: 100,
  }),
  KAFKA_HEALTH_INTERVAL_MS: int({ description: 'How often the broker connection is probed for /health/ready', default: 2000, min: 200 }),
  KAFKA_SASL_MECHANISM: oneOf(['scram-sha-512', 'none'] as const, {
    description: 'How the client authenticates to Kafka; "none" only for a broker without authentication',
    default: 'scram-sha-512',
  }),
  KAFKA_SASL_USERNAME: str({ description: "The service's Kafka principal (required unless KAFKA_SASL_MECHANISM=none)", default: '', pattern: /^[A-Za-z0-9._-]{1,100}$/, hint: 'letters, digits, dot, dash or underscore' }),
  KAFKA_SASL_PASSWORD: str({ description: 'Its SCRAM password (or give KAFKA_SASL_PASSWORD_FILE)', default: '', secret: true }),
  KAFKA_SASL_PASSWORD_FILE: str({ description: 'A file holding the SCRAM password, e.g. a mounted secret (trailing newline ignored)', default: '' }),
};

/** Settings of a consuming service. */
export const ConsumerConfigSpec = {
  KAFKA_GROUP_ID: str({
    description: 'Consumer group id, used exactly as given (dead letters go to dlq.<group>)',
    pattern: /^[A-Za-z0-9._-]{1,200}$/,
    hint: 'letters, digits, dot, dash or underscore',
  }),
  CONSUMER_MAX_BATCH: int({ description: 'Most events handed to a handler at once (offsets commit and the group heartbeat after each)', default: 100, min: 1, max: 10000 }),
  CONSUMER_MAX_RETRIES: int({
    description: 'Attempts for an event whose handler fails with a non-transient error before it is dead-lettered',
    default: 5,
    min: 0,
    max: 100,
  }),
  CONSUMER_RETRY_BASE_MS: int({ description: 'First retry delay; doubles each attempt, with jitter', default: 200, min: 1 }),
  CONSUMER_PARTITIONS_CONCURRENCY: int({ description: 'Partitions processed concurrently per consumer', default: 3, min: 1, max: 100 }),
  // Measured in the lag bench (1,000 events/s through every service on 2 cores): the machine went
  // from 98-100 % to 84 % busy and beacon acks from p50 0.97-6.7 s to 0.53 s, for at most 100 ms
  // more per hop when events are few.
  CONSUMER_FETCH_MIN_BYTES: int({
    description: 'Bytes the broker gathers before it answers a fetch (or CONSUMER_FETCH_MAX_WAIT_MS passes): fewer, larger batches, so fewer offset commits, for at most that wait',
    default: 65536,
    min: 1,
    max: 1048576,
  }),
  CONSUMER_FETCH_MAX_WAIT_MS: int({ description: 'Longest the broker holds a fetch waiting for CONSUMER_FETCH_MIN_BYTES (also how long a stopping consumer may wait for its last fetch)', default: 100, min: 10, max: 30000 }),
  CONSUMER_FROM_BEGINNING: str({
    description: 'Where a new consumer group starts: "earliest" (replay all history) or "latest" (only events from its first start on)',
    default: 'earliest',
    pattern: /^(earliest|latest)$/,
    hint: 'earliest or latest',
  }),
};
