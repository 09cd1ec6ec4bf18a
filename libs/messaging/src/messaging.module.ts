import {
  Injectable,
  Module,
  type DynamicModule,
  type INestApplication,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '@jobstream/platform/logger';
import { BrokerMonitor } from './broker-monitor';
import { EventPublisher, KafkaEventPublisher } from './event-publisher';
import { GroupWatermarks } from './group-watermark';
import { createKafka, kafkaSasl } from './kafka.client';
import { KafkaEventTransport } from './kafka.transport';
import { KAFKA, MESSAGING_OPTIONS, type MessagingOptions } from './messaging.tokens';

export { KAFKA, MESSAGING_OPTIONS, projectionGroupId, type MessagingOptions } from './messaging.tokens';

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
        KafkaEventTransport,
        GroupWatermarks,
        MessagingLifecycle,
      ],
      exports: [KAFKA, BrokerMonitor, EventPublisher, KafkaEventTransport, GroupWatermarks, MESSAGING_OPTIONS],
    };
  }
}

/**
 * Connects the service's event handlers (`@OnEvents` on its controllers) to Kafka. They consume
 * once `app.startAllMicroservices()` is called, after `app.init()`.
 */
export function connectEventTransport(app: INestApplication): INestApplication {
  app.connectMicroservice({ strategy: app.get(KafkaEventTransport) });
  return app;
}
