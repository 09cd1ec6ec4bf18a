import { Inject, Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import type Redis from 'ioredis';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import type { AnyEvent } from '@jobstream/contracts';
import { QueueName } from '../queues/queue-names';
import { trackQueueDepth } from '../queues/queue.metrics';
import { QUEUE_REDIS, type NotifierConfig } from '../queues/queue.tokens';
import { APP_CONFIG } from '@jobstream/platform/platform.module';
import { deliveryIdOf, subscribedTo } from './webhook-policy.util';
import { WebhookStore } from './webhook-store.repository';
import type { Delivery, Subscription, WebhookJob } from './webhook.types';

/** Custom backoff type, computed by the webhook worker's backoffStrategy. */
export const WEBHOOK_BACKOFF_TYPE = 'webhook-full-jitter';

/**
 * How long the subscription set consumed batches match against may be stale. Changes made through
 * this instance's API apply at once; another replica's within this long.
 */
const SUBSCRIPTIONS_TTL_MS = 1000;

/** Turns consumed events into deliveries: a record in the log and a job on the webhook queue. */
@Injectable()
export class WebhookDeliveries {
  readonly queue: Queue<WebhookJob>;
  private readonly untrack: () => void;
  private cached?: { at: number; subs: Subscription[] };

  constructor(
    @Inject(QUEUE_REDIS) connection: Redis,
    @Inject(APP_CONFIG) config: NotifierConfig,
    private readonly store: WebhookStore,
    @InjectPinoLogger(WebhookDeliveries.name) private readonly logger: PinoLogger,
  ) {
    const keepSeconds = config.WEBHOOK_LOG_RETENTION_DAYS * 86400;
    this.queue = new Queue<WebhookJob>(QueueName.Webhook, {
      connection,
      prefix: config.NOTIFIER_QUEUE_PREFIX,
      defaultJobOptions: {
        attempts: config.WEBHOOK_ATTEMPTS,
        backoff: { type: WEBHOOK_BACKOFF_TYPE },
        // The delivery log is the record; finished jobs are kept only as the dedupe of their ids.
        removeOnComplete: { age: keepSeconds, count: 100000 },
        removeOnFail: { age: keepSeconds, count: 100000 },
      },
    });
    this.untrack = trackQueueDepth(this.queue);
  }

  invalidate(): void {
    this.cached = undefined;
  }

  private async subscriptions(): Promise<Subscription[]> {
    if (this.cached && Date.now() - this.cached.at < SUBSCRIPTIONS_TTL_MS) return this.cached.subs;
    const subs = await this.store.subscriptions();
    this.cached = { at: Date.now(), subs };
    return subs;
  }

  /**
   * Resolves once every delivery is recorded and queued in Redis (AOF on): only then may the Kafka
   * offset be committed. Re-consumed events find their records and job ids and add nothing; a
   * paused or disabled subscription's deliveries are recorded as skipped, for a later redelivery.
   */
  async enqueue(events: readonly AnyEvent[]): Promise<number> {
    const subs = await this.subscriptions();
    if (subs.length === 0) return 0;
    const createdAt = new Date().toISOString();
    const entries: { delivery: Delivery; body: string }[] = [];
    for (const event of events) {
      let body: string | undefined;
      for (const sub of subs) {
        if (!subscribedTo(sub, event)) continue;
        body ??= JSON.stringify(event);
        entries.push({
          body,
          delivery: {
            id: deliveryIdOf(sub.id, event.id),
            subscriptionId: sub.id,
            eventId: event.id,
            eventType: event.type,
            occurredAt: event.occurredAt,
            createdAt,
            status: sub.status === 'active' ? 'pending' : 'skipped',
            attempts: 0,
            ...(sub.status === 'active' ? {} : { lastError: `subscription ${sub.status}` }),
          },
        });
      }
    }
    if (entries.length === 0) return 0;
    const toQueue = new Set(await this.store.createDeliveries(entries));
    const jobs = entries.filter((e) => toQueue.has(e.delivery.id)).map(({ delivery: d }) => ({
      name: d.eventType,
      data: { deliveryId: d.id, subscriptionId: d.subscriptionId, eventId: d.eventId },
      opts: { jobId: d.id },
    }));
    if (jobs.length > 0) await this.queue.addBulk(jobs);
    for (const id of new Set(entries.map((e) => e.delivery.subscriptionId))) await this.store.trim(id);
    this.logger.debug({ eventIds: events.map((e) => e.id), deliveries: entries.length, queued: jobs.length }, 'webhook deliveries queued');
    return jobs.length;
  }

  /**
   * Sends a recorded delivery again, as a new job (the old one may still be kept, under its id):
   * same body, same `webhook-id`, a fresh timestamp and signature.
   */
  async redeliver(ids: readonly string[], subscriptionId: string): Promise<number> {
    const stamp = Date.now();
    const jobs: { name: string; data: WebhookJob; opts: { jobId: string } }[] = [];
    for (const id of ids) {
      const d = await this.store.delivery(id);
      if (!d || d.subscriptionId !== subscriptionId) continue;
      await this.store.setStatus(id, 'pending');
      jobs.push({ name: d.eventType, data: { deliveryId: d.id, subscriptionId, eventId: d.eventId }, opts: { jobId: `${d.id}.r${stamp}` } });
    }
    if (jobs.length > 0) await this.queue.addBulk(jobs);
    return jobs.length;
  }

  close(): Promise<void> {
    this.untrack();
    return this.queue.close();
  }
}
