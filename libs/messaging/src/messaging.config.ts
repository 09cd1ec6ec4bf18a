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
  // kafkajs' defaults: a fetch is answered at the first byte, so latency is lowest and an idle group
  // costs the broker one fetch per 5 s. Batching (e.g. 65536 and 100) made the lag bench's machine
  // 84 % busy instead of 98-100 % at 1,000 events/s, but idle groups then fetch 10 times a second:
  // Kafka used 30 more CPU-seconds in the 9-minute search phase for one idle listings.
  CONSUMER_FETCH_MIN_BYTES: int({
    description: 'Bytes the broker gathers before it answers a fetch (or CONSUMER_FETCH_MAX_WAIT_MS passes): more means fewer, larger batches and offset commits under load, for up to that wait per hop',
    default: 1,
    min: 1,
    max: 1048576,
  }),
  CONSUMER_FETCH_MAX_WAIT_MS: int({ description: 'Longest the broker holds a fetch waiting for CONSUMER_FETCH_MIN_BYTES (with 1, for the first event); a lower value makes idle groups fetch more often', default: 5000, min: 10, max: 30000 }),
  CONSUMER_FROM_BEGINNING: str({
    description: 'Where a new consumer group starts: "earliest" (replay all history) or "latest" (only events from its first start on)',
    default: 'earliest',
    pattern: /^(earliest|latest)$/,
    hint: 'earliest or latest',
  }),
};
