import { Inject, Injectable } from '@nestjs/common';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type Redis from 'ioredis';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { counter, histogram } from '@jobstream/platform/metrics';
import { jobIdOf } from '../mail/email-jobs.util';
import { EmailProducer } from '../queues/email.producer';
import { QueueName } from '../queues/queue-names';
import { QUEUE_REDIS, type NotifierConfig } from '../queues/queue.tokens';
import { APP_CONFIG } from '@jobstream/platform/platform.module';
import { WEBHOOK_BACKOFF_TYPE } from './webhook-deliveries.service';
import { shouldDisable, webhookRetryDelay, type FailureStreak } from './webhook-policy.util';
import { allowListOf } from './target-guard.util';
import { postWebhook, signedHeaders, type SendOptions } from './webhook-sender';
import { WebhookStore } from './webhook-store.repository';
import type { Subscription, WebhookJob } from './webhook.types';

export type WebhookResult = 'delivered' | 'skipped' | 'expired';

const webhookMetrics = {
  attempts: counter({ name: 'jobstream_webhook_attempts_total', help: 'Webhook requests by outcome (delivered, failed)', labelNames: ['outcome'] }),
  latency: histogram({ name: 'jobstream_webhook_latency_seconds', help: 'Time to a webhook receiver\'s answer', labelNames: ['outcome'], buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] }),
  disabled: counter({ name: 'jobstream_webhook_subscriptions_disabled_total', help: 'Subscriptions disabled automatically' }),
};

/**
 * Sends the webhook queue's deliveries. At-least-once: a worker killed mid-request leaves its job
 * to be picked up again once the lock lapses, so a receiver may get a message twice, always with
 * the same `webhook-id` (the event id), which is what it dedupes on.
 */
@Injectable()
export class WebhookProcessor {
  private worker?: Worker<WebhookJob, WebhookResult>;
  private readonly send: SendOptions;

  constructor(
    @Inject(QUEUE_REDIS) private readonly connection: Redis,
    @Inject(APP_CONFIG) private readonly config: NotifierConfig,
    private readonly store: WebhookStore,
    private readonly emails: EmailProducer,
    @InjectPinoLogger(WebhookProcessor.name) private readonly logger: PinoLogger,
  ) {
    this.send = {
      timeoutMs: config.WEBHOOK_TIMEOUT_MS,
      maxResponseBytes: config.WEBHOOK_MAX_RESPONSE_BYTES,
      policy: { allowed: allowListOf(config.WEBHOOK_ALLOW_PRIVATE_TARGETS), requireHttps: config.WEBHOOK_REQUIRE_HTTPS },
    };
  }

  start(): void {
    const c = this.config;
    this.worker = new Worker<WebhookJob, WebhookResult>(QueueName.Webhook, (job) => this.process(job), {
      connection: this.connection,
      prefix: c.NOTIFIER_QUEUE_PREFIX,
      concurrency: c.WEBHOOK_CONCURRENCY,
      lockDuration: Math.max(c.NOTIFIER_JOB_LOCK_MS, c.WEBHOOK_TIMEOUT_MS * 2),
      stalledInterval: c.NOTIFIER_JOB_LOCK_MS,
      // A stalled job's worker died mid-request: sending it again is the at-least-once promise.
      maxStalledCount: 10,
      settings: {
        backoffStrategy: (attemptsMade: number, type?: string) =>
          type === WEBHOOK_BACKOFF_TYPE ? webhookRetryDelay(attemptsMade, c.WEBHOOK_BACKOFF_BASE_MS, c.WEBHOOK_BACKOFF_MAX_MS) : 0,
      },
    });
    this.worker.on('failed', (job, err) => {
      if (!job) return;
      const final = err instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
      const entry = { jobId: job.id, subscriptionId: job.data.subscriptionId, eventId: job.data.eventId, attemptsMade: job.attemptsMade, error: err.message };
      if (final) this.logger.warn(entry, 'webhook delivery failed for good');
      else this.logger.info(entry, 'webhook delivery failed; will retry');
    });
    this.worker.on('error', (err) => this.logger.error({ err: { message: err.message } }, 'webhook worker error'));
  }

  get running(): boolean {
    return this.worker?.isRunning() ?? false;
  }

  async process(job: Job<WebhookJob, WebhookResult>): Promise<WebhookResult> {
    const { deliveryId, subscriptionId, eventId } = job.data;
    const sub = await this.store.subscription(subscriptionId);
    if (!sub || sub.status !== 'active') {
      await this.store.setStatus(deliveryId, 'skipped', `subscription ${sub ? sub.status : 'deleted'}`);
      return 'skipped';
    }
    const body = await this.store.body(deliveryId);
    if (body === undefined) {
      this.logger.warn({ deliveryId }, 'webhook delivery expired from the log before it was sent');
      return 'expired';
    }
    const at = new Date();
    const secrets = sub.secrets.filter((s) => !s.expiresAt || Date.parse(s.expiresAt) > at.getTime()).map((s) => s.secret);
    const result = await postWebhook(sub.url, signedHeaders(secrets, eventId, at, body), body, this.send);
    const lastTry = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    await this.store.recordAttempt(
      deliveryId,
      { at: at.toISOString(), ok: result.ok, latencyMs: result.latencyMs, ...(result.statusCode ? { statusCode: result.statusCode } : {}), ...(result.error ? { error: result.error } : {}) },
      result.ok ? 'delivered' : lastTry ? 'failed' : 'pending',
    );
    const outcome = result.ok ? 'delivered' : 'failed';
    webhookMetrics.attempts.inc({ outcome });
    webhookMetrics.latency.observe({ outcome }, result.latencyMs / 1000);
    if (result.ok) {
      await this.store.resetFailures(subscriptionId);
      return 'delivered';
    }
    const streak = await this.store.recordFailure(subscriptionId, Date.now());
    if (shouldDisable(streak, Date.now(), this.config.WEBHOOK_DISABLE_AFTER_FAILURES, this.config.WEBHOOK_DISABLE_AFTER_MS)) {
      await this.disable(sub, streak);
      await this.store.setStatus(deliveryId, 'failed');
      throw new UnrecoverableError(`${result.error ?? 'failed'}; subscription disabled`);
    }
    throw new Error(result.error ?? 'delivery failed');
  }

  /** Disables the subscription (once, whichever worker gets there first) and tells the operator. */
  private async disable(sub: Subscription, streak: FailureStreak): Promise<void> {
    const at = new Date().toISOString();
    const reason = `${streak.failures} failed attempts in a row since ${new Date(streak.sinceMs).toISOString()}`;
    if (!(await this.store.disableIfActive(sub.id, at, reason))) return;
    webhookMetrics.disabled.inc();
    this.logger.warn({ subscriptionId: sub.id, reason }, 'webhook subscription disabled');
    const operator = this.config.WEBHOOK_OPERATOR_EMAIL;
    if (!operator) {
      this.logger.warn({ subscriptionId: sub.id }, 'no WEBHOOK_OPERATOR_EMAIL: nobody was emailed about the disabled subscription');
      return;
    }
    await this.emails.enqueue([
      {
        jobId: jobIdOf('webhook-disabled', sub.id, String(Date.parse(at))),
        data: { kind: 'webhook-disabled', operator: { name: 'jobstream operator', email: operator }, subscriptionId: sub.id, url: sub.url, reason, disabledAt: at },
      },
    ]);
  }

  /** Stops taking jobs and waits for the requests in flight (and their log entries) before returning. */
  async close(): Promise<void> {
    await this.worker?.close();
  }
}
