import { EventTransport } from './event-transport';
import { topicOf, type AnyEvent, type TopicName } from '@jobstream/contracts';
import { processSlice, type BatchHandler, type ConsumedMessage } from './batch-processor';
import { dispatchersOf } from './event-routing';
import { projectionGroupId } from './messaging.tokens';

export interface InMemoryLetter {
  /** The consumer group that parked it. */
  groupId: string;
  topic: string;
  offset: string;
  error: string;
  attempts: number;
  /** The original bytes, as a dead-letter topic keeps them. */
  value: string | null;
}

export interface InMemoryTransportOptions {
  /** The service's group id; projections run in `<groupId>-<projection>`. */
  groupId?: string;
  /** Most events handed to the handlers at once, as CONSUMER_MAX_BATCH. */
  maxBatch?: number;
  /** As CONSUMER_MAX_RETRIES: attempts of a failing (non-transient) event before it is parked. */
  maxRetries?: number;
  /** Attempts of a transiently failing slice before publish() gives up (a broker would retry forever). */
  maxTransientAttempts?: number;
}

/**
 * The event transport without a broker, for consumer specs: publish() delivers events to the same
 * `@OnEvents` handlers, through the same slice processing as Kafka (validation, runs per handler in
 * order, retries, poison splitting) and records dead letters in memory. One partition per topic;
 * every group sees every event once, in publish order. publish() resolves when every group
 * committed the events, or rejects if a slice could not be completed.
 */
export class InMemoryEventTransport extends EventTransport {
  readonly deadLetters: InMemoryLetter[] = [];
  /** Next offset to consume, per `<groupId>/<topic>`. */
  readonly committed = new Map<string, number>();
  private readonly logs = new Map<string, ConsumedMessage[]>();
  private groups = new Map<string, Map<TopicName, BatchHandler>>();
  private listening = false;

  constructor(private readonly options: InMemoryTransportOptions = {}) {
    super();
  }

  groupIdOf(projection: string): string {
    return projectionGroupId(this.options.groupId ?? 'in-memory', projection);
  }

  listen(callback: (err?: unknown, ...optionalParams: unknown[]) => void): void {
    try {
      this.groups = dispatchersOf(this.registered());
      this.listening = true;
      callback();
    } catch (err) {
      callback(err);
    }
  }

  /** Appends valid events to their topics and delivers them. */
  publish(events: readonly AnyEvent[]): Promise<void> {
    const touched = new Set<string>();
    for (const event of events) {
      const topic = topicOf(event.type).name;
      this.append(topic, Buffer.from(JSON.stringify(event)), event.key);
      touched.add(topic);
    }
    return this.deliver(touched);
  }

  /** Appends raw bytes (e.g. a malformed message) to a topic and delivers them. */
  publishRaw(topic: TopicName, value: string | Buffer | null, key: string | null = null): Promise<void> {
    this.append(topic, value === null ? null : Buffer.from(value), key);
    return this.deliver(new Set([topic]));
  }

  private append(topic: string, value: Buffer | null, key: string | null): void {
    const log = this.logs.get(topic) ?? [];
    this.logs.set(topic, log);
    log.push({ topic, partition: 0, offset: String(log.length), timestamp: String(Date.now()), key: key === null ? null : Buffer.from(key), value });
  }

  private async deliver(topics: ReadonlySet<string>): Promise<void> {
    if (!this.listening) throw new Error('the in-memory transport is not listening: call app.startAllMicroservices() first');
    const size = this.options.maxBatch ?? 100;
    for (const [projection, handlers] of this.groups) {
      const groupId = this.groupIdOf(projection);
      for (const topic of topics) {
        const handler = handlers.get(topic as TopicName);
        const log = this.logs.get(topic) ?? [];
        const position = `${groupId}/${topic}`;
        let next = this.committed.get(position) ?? 0;
        if (!handler) {
          this.committed.set(position, log.length);
          continue;
        }
        while (next < log.length) {
          const slice = log.slice(next, next + size);
          let transient = 0;
          const outcome = await processSlice(slice, {
            handler,
            deadLetter: (letters) => {
              for (const l of letters) {
                this.deadLetters.push({ groupId, topic: l.message.topic, offset: l.message.offset, error: l.error, attempts: l.attempts, value: l.message.value?.toString('utf8') ?? null });
              }
              return Promise.resolve();
            },
            maxRetries: this.options.maxRetries ?? 2,
            retryBaseMs: 1,
            shouldContinue: () => transient < (this.options.maxTransientAttempts ?? 20),
            heartbeat: () => Promise.resolve(),
            onError: (_err, ctx) => {
              if (ctx.transient) transient++;
            },
            sleep: () => Promise.resolve(),
          });
          if (!outcome.done) throw new Error(`group ${groupId} could not complete a slice of ${topic} at offset ${next}`);
          next += slice.length;
          this.committed.set(position, next);
        }
      }
    }
  }

  close(): void {
    this.listening = false;
  }


  unwrap<T>(): T {
    return this.logs as unknown as T;
  }
}
