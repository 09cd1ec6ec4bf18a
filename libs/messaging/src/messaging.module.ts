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
import { createKafka, type KafkaConfig } from './kafka.client';
import { ON_TOPIC, consumerGroupId, type OnTopicMetadata } from './on-topic.decorator';

export const KAFKA = Symbol('jobstream:kafka');
export const MESSAGING_OPTIONS = Symbol('jobstream:messaging-options');

export interface MessagingOptions {
  service: string;
  kafka: KafkaConfig;
  /** Present for services that consume: the group and its batching/retry settings. */
  consumer?: ConsumerConfig;
}

/** Finds every @OnTopic method and runs them in their consumer groups (one per named consumer). */
@Injectable()
export class ConsumerHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private consumers: EventConsumer[] = [];

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    private readonly publisher: EventPublisher,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  /** Handlers by consumer group id, then by topic. A topic may be handled once per group. */
  handlersByGroup(): Map<string, Map<TopicName, BatchHandler>> {
    const baseGroup = this.options.consumer?.KAFKA_GROUP_ID ?? this.options.service;
    const groups = new Map<string, Map<TopicName, BatchHandler>>();
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      if (!instance || typeof instance !== 'object') continue;
      const proto = Object.getPrototypeOf(instance) as object;
      for (const name of this.scanner.getAllMethodNames(proto)) {
        const method = (instance as Record<string, unknown>)[name];
        if (typeof method !== 'function') continue;
        const meta = this.reflector.get<OnTopicMetadata | undefined>(ON_TOPIC, method as () => unknown);
        if (!meta) continue;
        const groupId = consumerGroupId(baseGroup, meta.consumer);
        const handlers = groups.get(groupId) ?? new Map<TopicName, BatchHandler>();
        groups.set(groupId, handlers);
        if (handlers.has(meta.topic)) throw new Error(`two @OnTopic('${meta.topic}') handlers in consumer group ${groupId} of ${this.options.service}`);
        handlers.set(meta.topic, (events: ConsumedEvent[]) => (method as BatchHandler).call(instance, events));
      }
    }
    return groups;
  }

  onApplicationBootstrap(): void {
    const config = this.options.consumer;
    if (!config) return;
    for (const [groupId, handlers] of this.handlersByGroup()) {
      const consumer = new EventConsumer(this.kafka, this.publisher, handlers, { ...config, KAFKA_GROUP_ID: groupId }, this.logger.child({ component: 'consumer', groupId }));
      this.consumers.push(consumer);
      consumer.start();
    }
  }

  /** The consumer groups this service runs, in start order. */
  get groupIds(): string[] {
    return this.consumers.map((c) => c.groupId);
  }

  /** First step of shutdown: stop consuming and drain in-flight work while databases are still open. */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.consumers.map((c) => c.stop()));
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
