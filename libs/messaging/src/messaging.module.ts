import {
  Inject,
  Injectable,
  Module,
  type BeforeApplicationShutdown,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { DiscoveryModule, DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import type { TopicName } from '@jobstream/contracts';
import { ROOT_LOGGER } from '@jobstream/platform/logger';
import { BrokerMonitor } from './broker-monitor';
import type { BatchHandler, ConsumedEvent } from './batch-processor';
import { EventConsumer, type ConsumerConfig } from './event-consumer';
import { EventPublisher, KafkaEventPublisher } from './event-publisher';
import { createKafka, kafkaSasl, type KafkaConfig, type SaslSettings } from './kafka.client';
import { ON_TOPIC, type OnTopicMeta } from './on-topic.decorator';

export const KAFKA = Symbol('jobstream:kafka');
export const MESSAGING_OPTIONS = Symbol('jobstream:messaging-options');

export interface MessagingOptions {
  service: string;
  kafka: KafkaConfig;
  /** Present for services that consume: the group and its batching/retry settings. */
  consumer?: ConsumerConfig;
  /**
   * Group suffix of each named projection (`@OnTopic(topic, { group })`), when it differs from its
   * name: e.g. `{ search: 'search-v2' }` so a new build of a projection replays in a fresh group.
   */
  projectionGroups?: Record<string, string>;
  /** Credentials of a projection that consumes as its own broker principal (e.g. `{ search: … }`). */
  projectionSasl?: Record<string, SaslSettings>;
}

/** The consumer group of a projection: the service's own group, or `<group>-<projection>`. */
export const projectionGroupId = (groupId: string, projection?: string) => (projection ? `${groupId}-${projection}` : groupId);

/** Finds every @OnTopic method and runs them in their consumer groups (the service's, and one per named projection). */
@Injectable()
export class ConsumerHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly consumers = new Map<string, EventConsumer>();

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    private readonly publisher: EventPublisher,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  /** Handlers of one projection ('' is the service's own group). */
  handlers(projection = ''): Map<TopicName, BatchHandler> {
    return this.allHandlers().get(projection) ?? new Map<TopicName, BatchHandler>();
  }

  private allHandlers(): Map<string, Map<TopicName, BatchHandler>> {
    const byGroup = new Map<string, Map<TopicName, BatchHandler>>();
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      if (!instance || typeof instance !== 'object') continue;
      const proto = Object.getPrototypeOf(instance) as object;
      for (const name of this.scanner.getAllMethodNames(proto)) {
        const method = (instance as Record<string, unknown>)[name];
        if (typeof method !== 'function') continue;
        const meta = this.reflector.get<OnTopicMeta | undefined>(ON_TOPIC, method as () => unknown);
        if (!meta) continue;
        const group = meta.group ?? '';
        const handlers = byGroup.get(group) ?? new Map<TopicName, BatchHandler>();
        byGroup.set(group, handlers);
        if (handlers.has(meta.topic)) throw new Error(`two @OnTopic('${meta.topic}'${group ? `, ${group}` : ''}) handlers in ${this.options.service}`);
        handlers.set(meta.topic, (events: ConsumedEvent[]) => (method as BatchHandler).call(instance, events));
      }
    }
    return byGroup;
  }

  onApplicationBootstrap(): void {
    const config = this.options.consumer;
    if (!config) return;
    for (const [projection, handlers] of this.allHandlers()) {
      const groupId = projectionGroupId(config.KAFKA_GROUP_ID, projection && (this.options.projectionGroups?.[projection] ?? projection));
      const sasl = this.options.projectionSasl?.[projection];
      // Its own client only for the consumer: dead letters still go through the service's producer.
      const kafka = sasl ? createKafka(this.options.kafka, this.options.service, this.logger, sasl) : this.kafka;
      const consumer = new EventConsumer(kafka, this.publisher, handlers, { ...config, KAFKA_GROUP_ID: groupId }, this.logger.child({ component: 'consumer', groupId }));
      this.consumers.set(projection, consumer);
      consumer.start();
    }
  }

  /** Counters of the service's own group (or of a named projection's). */
  stats(projection = '') {
    return this.consumers.get(projection)?.stats;
  }

  /** First step of shutdown: stop consuming and drain in-flight work while databases are still open. */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([...this.consumers.values()].map((c) => c.stop()));
  }
}

@Injectable()
class MessagingLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    private readonly monitor: BrokerMonitor,
    private readonly publisher: EventPublisher,
  ) {}

  onModuleInit(): void {
    this.monitor.start();
  }

  /** Last: the producer closes after consumers drained (they may still write dead letters). */
  async onApplicationShutdown(): Promise<void> {
    if (this.publisher instanceof KafkaEventPublisher) await this.publisher.close();
    await this.monitor.stop();
  }
}

@Module({})
export class MessagingModule {
  static forRoot(options: MessagingOptions): DynamicModule {
    // Credentials are checked now, at start-up, not when the projection's consumer first starts.
    for (const sasl of Object.values(options.projectionSasl ?? {})) kafkaSasl(sasl);
    return {
      module: MessagingModule,
      global: true,
      imports: [DiscoveryModule],
      providers: [
        { provide: MESSAGING_OPTIONS, useValue: options },
        {
          provide: KAFKA,
          inject: [ROOT_LOGGER],
          useFactory: (logger: Logger) => createKafka(options.kafka, options.service, logger),
        },
        {
          provide: BrokerMonitor,
          inject: [KAFKA, ROOT_LOGGER],
          useFactory: (kafka: Kafka, logger: Logger) => new BrokerMonitor(kafka, options.kafka.KAFKA_HEALTH_INTERVAL_MS, logger.child({ component: 'broker-monitor' })),
        },
        {
          provide: EventPublisher,
          inject: [KAFKA, BrokerMonitor, ROOT_LOGGER],
          useFactory: (kafka: Kafka, monitor: BrokerMonitor, logger: Logger) =>
            new KafkaEventPublisher(kafka, monitor, options.kafka.KAFKA_SEND_TIMEOUT_MS, logger.child({ component: 'publisher' })),
        },
        ConsumerHost,
        MessagingLifecycle,
      ],
      exports: [KAFKA, BrokerMonitor, EventPublisher, ConsumerHost, MESSAGING_OPTIONS],
    };
  }
}
