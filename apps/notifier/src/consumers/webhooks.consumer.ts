import { Controller } from '@nestjs/common';
import { EventSchemas, type EventType } from '@jobstream/contracts';
import { OnEvents, type EventBatch } from '@jobstream/messaging/on-events.decorator';
import { WebhookDeliveries } from '../webhooks/webhook-deliveries.service';
import { WEBHOOKS_PROJECTION } from '../webhooks/webhook-group.gate';

const EVERY_EVENT = Object.keys(EventSchemas) as EventType[];

/**
 * Every event type, in its own consumer group (`<KAFKA_GROUP_ID>-webhooks`): a slow or failing
 * receiver delays no email, and the emails' group never waits for webhooks. The handler resolves
 * once the deliveries are durable in Redis, so the offset is committed only after that. The group
 * runs only while subscriptions exist (WebhookGroupGate).
 */
@Controller()
export class WebhooksConsumer {
  constructor(private readonly deliveries: WebhookDeliveries) {}

  @OnEvents(EVERY_EVENT, { group: WEBHOOKS_PROJECTION })
  async enqueue(batch: EventBatch): Promise<void> {
    await this.deliveries.enqueue(batch.map((e) => e.event));
  }
}
