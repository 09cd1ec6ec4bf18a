import { CompressionTypes, Partitioners, type IHeaders, type Kafka, type Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { topicOf, type AnyEvent } from '@jobstream/contracts';
import type { BrokerMonitor } from './broker-monitor';
import { withTimeout } from './broker-monitor';
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

export class KafkaEventPublisher extends EventPublisher {
  private producer?: Producer;
  private connecting?: Promise<Producer>;

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

  private async send(topicMessages: { topic: string; messages: readonly RawMessage[] }[]): Promise<void> {
    const count = (metric: typeof published) => topicMessages.forEach((t) => metric.inc({ topic: t.topic }, t.messages.length));
    if (!this.monitor.isUp()) {
      count(unpublished);
      throw new BrokerUnavailableError(`Kafka is unavailable: ${this.monitor.current().error ?? 'no recent probe'}`);
    }
    try {
      const producer = await withTimeout(this.connected(), this.sendTimeoutMs, 'producer connect');
      await withTimeout(
        producer.sendBatch({
          acks: -1,
          compression: CompressionTypes.None,
          topicMessages: topicMessages.map((t) => ({ topic: t.topic, messages: [...t.messages] })),
        }),
        this.sendTimeoutMs,
        'broker acknowledgement',
      );
      count(published);
    } catch (err) {
      count(unpublished);
      void this.monitor.probe();
      throw new BrokerUnavailableError(`Kafka did not acknowledge the write: ${(err as Error).message}`, err);
    }
  }

  async close(): Promise<void> {
    await this.connecting?.catch(() => undefined);
    await this.producer?.disconnect();
    this.producer = undefined;
  }
}
