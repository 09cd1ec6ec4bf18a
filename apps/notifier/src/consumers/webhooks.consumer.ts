import { Injectable } from '@nestjs/common';
import { Topics } from '@jobstream/contracts';
import { OnTopic } from '@jobstream/messaging/on-topic.decorator';
import type { ConsumedEvent } from '@jobstream/messaging/batch-processor';
import { WebhookDeliveries } from '../webhooks/webhook-deliveries.service';

/**
 * Every topic, in its own consumer group (`<KAFKA_GROUP_ID>-webhooks`): a slow or failing
 * receiver delays no email, and the emails' group never waits for webhooks. Each handler resolves
 * once the deliveries are durable in Redis, so the offset is committed only after that.
 */
@Injectable()
export class WebhooksConsumer {
  constructor(private readonly deliveries: WebhookDeliveries) {}

  private async enqueue(batch: ConsumedEvent[]): Promise<void> {
    await this.deliveries.enqueue(batch.map((e) => e.event));
  }

  @OnTopic(Topics.companies, { group: 'webhooks' })
  companies(batch: ConsumedEvent[]): Promise<void> {
    return this.enqueue(batch);
  }

  @OnTopic(Topics.postings, { group: 'webhooks' })
  postings(batch: ConsumedEvent[]): Promise<void> {
    return this.enqueue(batch);
  }

  @OnTopic(Topics.hiringTeams, { group: 'webhooks' })
  hiringTeams(batch: ConsumedEvent[]): Promise<void> {
    return this.enqueue(batch);
  }

  @OnTopic(Topics.engagement, { group: 'webhooks' })
  engagement(batch: ConsumedEvent[]): Promise<void> {
    return this.enqueue(batch);
  }

  @OnTopic(Topics.contributions, { group: 'webhooks' })
  contributions(batch: ConsumedEvent[]): Promise<void> {
    return this.enqueue(batch);
  }

  @OnTopic(Topics.applications, { group: 'webhooks' })
  applications(batch: ConsumedEvent[]): Promise<void> {
    return this.enqueue(batch);
  }

  @OnTopic(Topics.applicationOutcomes, { group: 'webhooks' })
  applicationOutcomes(batch: ConsumedEvent[]): Promise<void> {
    return this.enqueue(batch);
  }

  @OnTopic(Topics.postingStats, { group: 'webhooks' })
  postingStats(batch: ConsumedEvent[]): Promise<void> {
    return this.enqueue(batch);
  }

  @OnTopic(Topics.companyInsights, { group: 'webhooks' })
  companyInsights(batch: ConsumedEvent[]): Promise<void> {
    return this.enqueue(batch);
  }
}
