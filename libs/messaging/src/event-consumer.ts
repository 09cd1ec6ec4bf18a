import type { Admin, Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { Logger } from 'pino';
import type { ConfigOf } from '@jobstream/platform/config';
import { DeadLetterHeaders, dlqTopic, redriveTopic, type TopicName } from '@jobstream/contracts';
import { processSlice, type BatchHandler, type ConsumedMessage } from './batch-processor';
import { sendDeadLetters } from './dead-letter';
import { PermanentEventError } from './errors';
import type { EventPublisher } from './event-publisher';
import type { ConsumerConfigSpec } from './messaging.config';
import { provisionTopics } from './topic-provisioner';
import { pinUncommittedAtEnd } from './start-position';
import { counter, gauge, histogram } from '@jobstream/platform/metrics';

const metrics = {
  consumed: counter({ name: 'jobstream_events_consumed_total', help: 'Events consumed and committed', labelNames: ['group', 'topic'] }),
  deadLettered: counter({ name: 'jobstream_events_dead_lettered_total', help: 'Events sent to the dead-letter topic', labelNames: ['group', 'topic'] }),
  failures: counter({ name: 'jobstream_event_handler_failures_total', help: 'Failed handler attempts (each retry counts)', labelNames: ['group', 'topic', 'kind'] }),
  sliceSeconds: histogram({
    name: 'jobstream_slice_processing_seconds',
    help: 'Time to apply one slice of events (validation, handler, dead letters) before its commit',
    labelNames: ['group', 'topic'],
    buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  }),
  eventAge: histogram({
    name: 'jobstream_event_age_seconds',
    help: 'From the broker accepting an event to its effect being committed by this group',
    labelNames: ['group', 'topic'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
  }),
  lag: gauge({ name: 'jobstream_consumer_lag', help: 'Events behind the partition end, as of the last slice', labelNames: ['group', 'topic', 'partition'] }),
};
import { backoffDelay, sleep } from './backoff.util';

const HEARTBEAT_MS = 3_000;

export type ConsumerConfig = ConfigOf<typeof ConsumerConfigSpec>;

export interface ConsumerStats {
  consumed: number;
  handled: number;
  deadLettered: number;
  failures: number;
}

/**
 * One consumer group of one service: batch consumption, validation, dead letters, and offsets
 * committed only after the handler's effects are durable. The group id is used exactly as
 * configured (no hidden suffixes).
 */
export class EventConsumer {
  private consumer?: Consumer;
  private admin?: Admin;
  private stopping = false;
  private running?: Promise<void>;

  constructor(
    private readonly kafka: Kafka,
    private readonly publisher: EventPublisher,
    private readonly handlers: ReadonlyMap<TopicName, BatchHandler>,
    private readonly config: ConsumerConfig,
    private readonly logger: Logger,
    /** Given when counters must outlive this consumer (an on-demand group restarts with a new one). */
    readonly stats: ConsumerStats = { consumed: 0, handled: 0, deadLettered: 0, failures: 0 },
  ) {}

  get groupId(): string {
    return this.config.KAFKA_GROUP_ID;
  }

  /** Starts in the background; keeps retrying while the broker is unreachable. */
  start(): void {
    if (this.handlers.size === 0) return;
    this.running = this.runUntilStopped();
  }

  private async runUntilStopped(): Promise<void> {
    for (let attempt = 0; !this.stopping; attempt++) {
      try {
        await this.connectAndRun();
        return;
      } catch (err) {
        await this.consumer?.disconnect().catch(() => undefined);
        this.consumer = undefined;
        if (this.stopping) return; // stop() disconnected it under us: not a failure
        this.logger.error({ err, groupId: this.groupId }, 'consumer failed to start; retrying');
        await sleep(backoffDelay(attempt, 500, 10_000));
      }
    }
  }

  private async connectAndRun(): Promise<void> {
    const admin = this.kafka.admin();
    this.admin = admin;
    await admin.connect();
    try {
      await provisionTopics(admin, { dlqGroups: [this.groupId], catalog: false });
      if (this.config.CONSUMER_FROM_BEGINNING === 'latest') {
        await pinUncommittedAtEnd(this.kafka, admin, this.groupId, [...this.handlers.keys()]).catch((err: unknown) => {
          // A running replica makes the group non-empty (offsets can't be set): it already pinned them.
          this.logger.debug({ err, groupId: this.groupId }, 'start position not pinned');
        });
      }
    } finally {
      await admin.disconnect();
      this.admin = undefined;
    }
    if (this.stopping) return;
    const consumer = this.kafka.consumer({
      groupId: this.groupId,
      allowAutoTopicCreation: false,
      sessionTimeout: 30_000,
      heartbeatInterval: HEARTBEAT_MS,
      maxBytesPerPartition: 1024 * 1024,
      minBytes: this.config.CONSUMER_FETCH_MIN_BYTES,
      maxWaitTimeInMs: this.config.CONSUMER_FETCH_MAX_WAIT_MS,
      retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 300, maxRetryTime: 10_000 },
    });
    this.consumer = consumer;
    consumer.on(consumer.events.CRASH, (e) => {
      const { error, restart } = e.payload;
      this.logger.error({ err: error, restart, groupId: this.groupId }, 'consumer crashed');
      if (!restart && !this.stopping) {
        void consumer.disconnect().catch(() => undefined).then(() => {
          if (!this.stopping) this.running = this.runUntilStopped();
        });
      }
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [...this.handlers.keys()], fromBeginning: this.config.CONSUMER_FROM_BEGINNING === 'earliest' });
    // Re-driven letters are read whatever the start position: they exist only because an operator asked.
    await consumer.subscribe({ topics: [redriveTopic(this.groupId)], fromBeginning: true });
    if (this.stopping) return; // stop() came while joining: it disconnects this consumer
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.config.CONSUMER_PARTITIONS_CONCURRENCY,
      eachBatch: (payload) => this.onBatch(payload),
    });
    this.logger.info({ groupId: this.groupId, topics: [...this.handlers.keys()], dlq: dlqTopic(this.groupId) }, 'consumer running');
  }

  private async onBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, heartbeat, isRunning, isStale } = payload;
    const redrive = batch.topic === redriveTopic(this.groupId);
    // A re-driven letter is handled as an event of its origin topic, one at a time (origins differ).
    const size = redrive ? 1 : this.config.CONSUMER_MAX_BATCH;
    if (!redrive && !this.handlers.has(batch.topic as TopicName)) return;
    for (let start = 0; start < batch.messages.length; start += size) {
      if (!isRunning() || isStale() || this.stopping) return;
      const raw = batch.messages.slice(start, start + size);
      const slice: ConsumedMessage[] = raw.map((m) => (redrive ? originOf(m, batch.partition) : { topic: batch.topic, partition: batch.partition, offset: m.offset, timestamp: m.timestamp, key: m.key, value: m.value, headers: m.headers }));
      const handler = this.handlers.get(slice[0].topic as TopicName) ?? unhandled(slice[0].topic, this.groupId);
      // kafkajs only heartbeats between fetches: a slice that takes longer than the session timeout
      // (a big bulk write on a slow database) would get this member evicted mid-slice.
      const beat = setInterval(() => void heartbeat().catch(() => undefined), HEARTBEAT_MS);
      const timer = metrics.sliceSeconds.startTimer({ group: this.groupId, topic: slice[0].topic });
      const outcome = await processSlice(slice, {
        handler,
        deadLetter: (letters) => sendDeadLetters(this.publisher, this.groupId, letters),
        maxRetries: this.config.CONSUMER_MAX_RETRIES,
        retryBaseMs: this.config.CONSUMER_RETRY_BASE_MS,
        shouldContinue: () => isRunning() && !isStale() && !this.stopping,
        heartbeat,
        onError: (err, ctx) => {
          this.stats.failures++;
          metrics.failures.inc({ group: this.groupId, topic: slice[0].topic, kind: ctx.transient ? 'transient' : 'permanent' });
          this.logger.warn({ err, ...ctx, topic: batch.topic, partition: batch.partition }, 'batch handler failed');
        },
        onLeftOut: (message, leftOut) => this.logger.warn({ topic: message.topic, partition: message.partition, offset: message.offset, leftOut }, 'event read without fields a later bound refuses'),
      }).finally(() => clearInterval(beat));
      if (!outcome.done) return;
      const last = raw[raw.length - 1].offset;
      resolveOffset(last);
      // Committed only now that every effect (or dead letter) of the slice is durable.
      await this.consumer!.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() }]);
      timer();
      const labels = { group: this.groupId, topic: slice[0].topic };
      metrics.consumed.inc(labels, slice.length);
      if (outcome.deadLettered > 0) metrics.deadLettered.inc(labels, outcome.deadLettered);
      metrics.eventAge.observe(labels, Math.max(0, Date.now() - Number(raw[raw.length - 1].timestamp)) / 1000);
      metrics.lag.set({ group: this.groupId, topic: batch.topic, partition: String(batch.partition) }, Math.max(0, Number(BigInt(batch.highWatermark) - BigInt(last) - 1n)));
      this.stats.consumed += slice.length;
      this.stats.handled += outcome.handled;
      this.stats.deadLettered += outcome.deadLettered;
      if (outcome.deadLettered > 0) {
        this.logger.warn({ topic: batch.topic, partition: batch.partition, count: outcome.deadLettered, dlq: dlqTopic(this.groupId) }, 'events dead-lettered');
      }
      await heartbeat();
    }
  }

  /** Stops fetching, lets the in-flight slice finish (its offsets committed), then leaves the group. */
  async stop(): Promise<void> {
    this.stopping = true;
    // A start still in progress (provisioning, joining the group) finishes first, or it would go on
    // fetching after this; bounded, since a start against an unreachable broker retries for long.
    await Promise.race([this.running?.catch(() => undefined), sleep(30_000)]);
    await this.consumer?.stop().catch((err: unknown) => this.logger.warn({ err }, 'consumer stop failed'));
    await this.consumer?.disconnect().catch((err: unknown) => this.logger.warn({ err }, 'consumer disconnect failed'));
    // A start still connecting gives up once its clients are disconnected under it.
    await this.admin?.disconnect().catch(() => undefined);
    await Promise.race([this.running?.catch(() => undefined), sleep(10_000)]);
  }
}

/** The letter as the event it was on its origin topic, so it decodes, routes and dead-letters as before. */
function originOf(m: KafkaMessage, partition: number): ConsumedMessage {
  const header = (name: string) => m.headers?.[name]?.toString();
  return {
    topic: header(DeadLetterHeaders.originTopic) ?? 'unknown',
    partition: Number(header(DeadLetterHeaders.originPartition) ?? partition),
    offset: header(DeadLetterHeaders.originOffset) ?? m.offset,
    timestamp: m.timestamp,
    key: m.key,
    value: m.value,
    headers: m.headers,
  };
}

/** A handler for letters whose origin this group doesn't consume: they can only go back. */
function unhandled(topic: string, groupId: string): BatchHandler {
  return () => Promise.reject(new PermanentEventError(`group ${groupId} has no handler for topic "${topic}"`));
}
