import { Inject, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { EventTransport } from './event-transport';
import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '@jobstream/platform/logger';
import { EventConsumer, type ConsumerStats } from './event-consumer';
import { EventPublisher } from './event-publisher';
import { dispatchersOf } from './event-routing';
import { createKafka } from './kafka.client';
import { KAFKA, MESSAGING_OPTIONS, groupIdOfProjection, type MessagingOptions } from './messaging.tokens';
import { OnDemandGroup } from './on-demand-group';

/**
 * The Kafka event transport: runs the `@OnEvents` handlers Nest registered on it (pattern = event
 * type) in their consumer groups, the service's own and one per named projection, with the batch
 * consumption, dead letters, redrive and commit-after-effect of EventConsumer. Connected with
 * `app.connectMicroservice({ strategy })`; it is also a provider, so it stops consuming in
 * beforeApplicationShutdown, before the HTTP server and the stores close.
 */
@Injectable()
export class KafkaEventTransport extends EventTransport implements BeforeApplicationShutdown {
  private readonly consumers = new Map<string, EventConsumer>();
  private readonly onDemand = new Map<string, OnDemandGroup>();
  private listening?: () => void;
  private readonly listened = new Promise<void>((resolve) => (this.listening = resolve));
  private closing?: Promise<void>;

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(ROOT_LOGGER) private readonly rootLogger: Logger,
    private readonly publisher: EventPublisher,
  ) {
    super();
  }

  /** The consumer group of a projection ('' is the service's own group). */
  groupIdOf(projection: string): string {
    return groupIdOfProjection(this.options, projection);
  }

  listen(callback: (err?: unknown, ...optionalParams: unknown[]) => void): void {
    try {
      const config = this.options.consumer;
      const groups = dispatchersOf(this.registered());
      if (groups.size > 0 && !config) throw new Error(`${this.options.service} registers event handlers but has no consumer settings`);
      for (const [projection, handlers] of config ? groups : []) {
        const groupId = this.groupIdOf(projection);
        const sasl = this.options.projectionSasl?.[projection];
        // Its own client only for the consumer: dead letters still go through the service's producer.
        const kafka = sasl ? createKafka(this.options.kafka, this.options.service, this.rootLogger, sasl) : this.kafka;
        const maxBatch = projection ? this.options.projectionMaxBatch?.[projection] : undefined;
        const settings = { ...config!, KAFKA_GROUP_ID: groupId, ...(maxBatch ? { CONSUMER_MAX_BATCH: maxBatch } : {}) };
        const logger = this.rootLogger.child({ component: 'consumer', groupId });
        if (this.options.onDemandProjections?.includes(projection)) {
          const create = (stats: ConsumerStats) => new EventConsumer(kafka, this.publisher, handlers, settings, logger, stats);
          this.onDemand.set(projection, new OnDemandGroup(kafka, groupId, [...handlers.keys()], create, logger));
          continue;
        }
        const consumer = new EventConsumer(kafka, this.publisher, handlers, settings, logger);
        this.consumers.set(projection, consumer);
        consumer.start();
      }
      this.listening?.();
      callback();
    } catch (err) {
      callback(err);
    }
  }

  /** Counters of the service's own group (or of a named projection's). */
  stats(projection = ''): ConsumerStats | undefined {
    return (this.consumers.get(projection) ?? this.onDemand.get(projection))?.stats;
  }

  /**
   * The switch of a projection listed in `onDemandProjections`, once the transport listens (its
   * handlers are known only then). Never resolves if the service closes first.
   */
  async onDemandGroup(projection: string): Promise<OnDemandGroup> {
    if (!this.options.onDemandProjections?.includes(projection)) throw new Error(`projection "${projection}" is not on demand`);
    await this.listened;
    const group = this.onDemand.get(projection);
    if (!group) throw new Error(`no handler registered for on-demand projection "${projection}"`);
    return group;
  }

  /** Stops fetching and lets every group finish its in-flight slice (offsets committed). Idempotent. */
  close(): Promise<void> {
    const groups = [...this.consumers.values(), ...this.onDemand.values()];
    this.closing ??= Promise.all(groups.map((c) => (c instanceof OnDemandGroup ? c.close() : c.stop()))).then(() => undefined);
    return this.closing;
  }

  /** First step of shutdown: stop consuming and drain in-flight work while databases are still open. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.close();
  }


  /** The underlying client (Nest 11's Server API). */
  unwrap<T>(): T {
    return this.kafka as unknown as T;
  }
}
