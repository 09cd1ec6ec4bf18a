import { CompressionTypes, Partitioners, type IHeaders, type Kafka, type Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { topicOf, type AnyEvent } from '@jobstream/contracts';
import type { BrokerMonitor } from './broker-monitor';
import { withTimeout } from '@jobstream/platform/timeout';
import { BrokerUnavailableError } from './errors';
import { counter } from '@jobstream/platform/metrics';

const published = counter({ name: 'jobstream_events_published_total', help: 'Messages the broker acknowledged', labelNames: ['topic'] });
const unpublished = counter({ name: 'jobstream_publish_failures_total', help: 'Messages the broker did not acknowledge (the request got a 503)', labelNames: ['topic'] });

export interface RawMessage {
  key: string | Buffer | null;
  value: Buffer | string | null;
  headers?: IHeaders;
}

/**
 * What services use to publish. Resolves only once the broker acknowledged every event
 * (acks from all in-sync replicas); rejects with BrokerUnavailableError otherwise.
 */
export abstract class EventPublisher {
  abstract publish(events: readonly AnyEvent[]): Promise<void>;
  abstract publishRaw(topic: string, messages: readonly RawMessage[]): Promise<void>;
}

export function eventHeaders(event: AnyEvent): IHeaders {
  return { type: event.type, schemaVersion: String(event.schemaVersion), eventId: event.id };
}

type TopicMessages = { topic: string; messages: readonly RawMessage[] };

interface QueuedSend {
  topicMessages: TopicMessages[];
  count: number;
  bytes: number;
  resolve: () => void;
  reject: (err: Error) => void;
}

/** A merged send stays under the broker's default 1 MB record batch; one oversize caller goes alone. */
export const MAX_GROUP_MESSAGES = 1000;
export const MAX_GROUP_BYTES = 512 * 1024;

const sizeOf = (m: RawMessage) => (m.value?.length ?? 0) + (typeof m.key === 'string' || Buffer.isBuffer(m.key) ? m.key.length : 0);

/**
 * The sends that go out together next: queued ones, oldest first, up to `maxMessages` and
 * `maxBytes` (always at least one), their messages merged per topic in queue order, so two
 * writes of the same key keep their order.
 */
export function takeGroup<T extends Pick<QueuedSend, 'topicMessages' | 'count' | 'bytes'>>(queue: T[], maxMessages = MAX_GROUP_MESSAGES, maxBytes = MAX_GROUP_BYTES): { group: T[]; topicMessages: { topic: string; messages: RawMessage[] }[] } {
  const group: T[] = [];
  let count = 0;
  let bytes = 0;
  while (queue.length > 0) {
    const next = queue[0];
    if (group.length > 0 && (count + next.count > maxMessages || bytes + next.bytes > maxBytes)) break;
    group.push(queue.shift()!);
    count += next.count;
    bytes += next.bytes;
  }
  const byTopic = new Map<string, RawMessage[]>();
  for (const send of group) {
    for (const t of send.topicMessages) {
      const list = byTopic.get(t.topic) ?? [];
      list.push(...t.messages);
      byTopic.set(t.topic, list);
    }
  }
  return { group, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) };
}

export class KafkaEventPublisher extends EventPublisher {
  private producer?: Producer;
  private connecting?: Promise<Producer>;
  /**
   * Group commit: the idempotent producer has one request in flight, so sends made while one is
   * out wait here and then go out together in one request, rather than one round trip each.
   * Nothing waits on purpose (no linger): a lone send leaves at once.
   */
  private readonly queue: QueuedSend[] = [];
  private flushing = false;
  private drained: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly kafka: Kafka,
    private readonly monitor: BrokerMonitor,
    private readonly sendTimeoutMs: number,
    private readonly logger: Logger,
  ) {
    super();
  }

  private connected(): Promise<Producer> {
    if (this.producer) return Promise.resolve(this.producer);
    this.connecting ??= (async () => {
      // Idempotent producer: retries can't duplicate or reorder within a partition; acks=-1 is implied.
      // The default (Java-compatible murmur2) partitioner, named so kafkajs doesn't warn at every start:
      // a key lands on the partition Java clients and Kafka tooling would pick.
      const producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
      try {
        await producer.connect();
      } catch (err) {
        await producer.disconnect().catch(() => undefined);
        throw err;
      }
      this.producer = producer;
      return producer;
    })().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  async publish(events: readonly AnyEvent[]): Promise<void> {
    const byTopic = new Map<string, RawMessage[]>();
    for (const event of events) {
      const topic = topicOf(event.type).name;
      const list = byTopic.get(topic) ?? [];
      list.push({ key: event.key, value: JSON.stringify(event), headers: eventHeaders(event) });
      byTopic.set(topic, list);
    }
    await this.send([...byTopic].map(([topic, messages]) => ({ topic, messages })));
    this.logger.debug({ eventIds: events.map((e) => e.id) }, 'events acknowledged');
  }

  publishRaw(topic: string, messages: readonly RawMessage[]): Promise<void> {
    return this.send([{ topic, messages }]);
  }

  private send(topicMessages: TopicMessages[]): Promise<void> {
    // After close() a send would connect a producer that nobody disconnects.
    if (this.closed) return Promise.reject(new BrokerUnavailableError('Shutting down: the producer is closed'));
    if (!this.monitor.isUp()) {
      topicMessages.forEach((t) => unpublished.inc({ topic: t.topic }, t.messages.length));
      return Promise.reject(new BrokerUnavailableError(`Kafka is unavailable: ${this.monitor.current().error ?? 'no recent probe'}`));
    }
    return new Promise<void>((resolve, reject) => {
      const all = topicMessages.flatMap((t) => t.messages);
      this.queue.push({ topicMessages, count: all.length, bytes: all.reduce((n, m) => n + sizeOf(m), 0), resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        this.drained = this.flush();
      }
    });
  }

  /** `flushing` is cleared in the same step that finds the queue empty, so no send slips in unseen. */
  private async flush(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const { group, topicMessages } = takeGroup(this.queue);
        const count = (metric: typeof published) => topicMessages.forEach((t) => metric.inc({ topic: t.topic }, t.messages.length));
        try {
          // Sends queued behind a send that just failed find the broker marked down: they fail fast too.
          if (!this.monitor.isUp()) throw new BrokerUnavailableError(`Kafka is unavailable: ${this.monitor.current().error ?? 'no recent probe'}`);
          const producer = await withTimeout(this.connected(), this.sendTimeoutMs, 'producer connect');
          await withTimeout(producer.sendBatch({ acks: -1, compression: CompressionTypes.None, topicMessages }), this.sendTimeoutMs, 'broker acknowledgement');
          this.monitor.acknowledged();
          count(published);
          group.forEach((g) => g.resolve());
        } catch (err) {
          count(unpublished);
          if (!(err instanceof BrokerUnavailableError)) void this.monitor.probe();
          const failure = err instanceof BrokerUnavailableError ? err : new BrokerUnavailableError(`Kafka did not acknowledge the write: ${(err as Error).message}`, err);
          group.forEach((g) => g.reject(failure));
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  /** Waits for queued sends to be acknowledged or refused, then disconnects. */
  async close(): Promise<void> {
    this.closed = true;
    await this.drained;
    await this.connecting?.catch(() => undefined);
    await this.producer?.disconnect();
    this.producer = undefined;
  }
}
