import { Inject, Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import type Redis from 'ioredis';
import type { EmailJob, EmailJobSpec } from '../mail/email.job';
import { QueueName } from './queue-names';
import { trackQueueDepth } from './queue.metrics';
import { QUEUE_REDIS, type NotifierConfig } from './queue.tokens';
import { APP_CONFIG } from '@jobstream/platform/platform.module';

/** Custom backoff type, computed by the worker's backoffStrategy (exponential with jitter). */
export const EMAIL_BACKOFF_TYPE = 'jittered-exponential';

/** Enqueues emails. Each job id is deterministic, so adding the same email twice is a no-op. */
@Injectable()
export class EmailProducer {
  readonly queue: Queue<EmailJob>;
  private readonly untrack: () => void;

  constructor(@Inject(QUEUE_REDIS) connection: Redis, @Inject(APP_CONFIG) config: NotifierConfig) {
    this.queue = new Queue<EmailJob>(QueueName.Email, {
      connection,
      prefix: config.NOTIFIER_QUEUE_PREFIX,
      defaultJobOptions: {
        attempts: config.NOTIFIER_EMAIL_ATTEMPTS,
        backoff: { type: EMAIL_BACKOFF_TYPE },
        removeOnComplete: { age: config.NOTIFIER_KEEP_COMPLETED_HOURS * 3600, count: config.NOTIFIER_KEEP_COMPLETED_COUNT },
        removeOnFail: { age: config.NOTIFIER_KEEP_FAILED_DAYS * 86400, count: config.NOTIFIER_KEEP_FAILED_COUNT },
      },
    });
    this.untrack = trackQueueDepth(this.queue);
  }

  /** Resolves once every job is stored in Redis (AOF on): only then may the Kafka offset be committed. */
  async enqueue(jobs: readonly EmailJobSpec[]): Promise<void> {
    if (jobs.length === 0) return;
    await this.queue.addBulk(jobs.map((j) => ({ name: j.data.kind, data: j.data, opts: { jobId: j.jobId } })));
  }

  close(): Promise<void> {
    this.untrack();
    return this.queue.close();
  }
}
