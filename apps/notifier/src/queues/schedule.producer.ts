import { Inject, Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import type Redis from 'ioredis';
import type { ScheduleJob } from '../mail/email.job';
import { QueueName } from './queue-names';
import { trackQueueDepth } from './queue.metrics';
import { QUEUE_REDIS, type NotifierConfig } from './queue.tokens';
import { APP_CONFIG } from '@jobstream/platform/platform.module';

/** Job scheduler ids. NEVER rename: a renamed scheduler leaves the old one firing. */
export const SchedulerId = { digest: 'daily-recruiter-digest', reminder: 'posting-expiry-reminder' } as const;

/** Owns the schedule queue and its job schedulers (upserted at start: idempotent across instances). */
@Injectable()
export class ScheduleProducer {
  readonly queue: Queue<ScheduleJob>;
  private readonly untrack: () => void;

  constructor(
    @Inject(QUEUE_REDIS) connection: Redis,
    @Inject(APP_CONFIG) private readonly config: NotifierConfig,
  ) {
    this.queue = new Queue<ScheduleJob>(QueueName.Schedule, {
      connection,
      prefix: config.NOTIFIER_QUEUE_PREFIX,
      defaultJobOptions: { attempts: 5, backoff: { type: 'exponential', delay: 10_000 }, removeOnComplete: { count: 100 }, removeOnFail: { count: 1000 } },
    });
    this.untrack = trackQueueDepth(this.queue);
  }

  async upsertSchedulers(): Promise<void> {
    await this.queue.upsertJobScheduler(SchedulerId.digest, { pattern: this.config.NOTIFIER_DIGEST_CRON, tz: 'UTC' }, { name: 'digest-tick', data: { kind: 'digest-tick' } });
    await this.queue.upsertJobScheduler(SchedulerId.reminder, { pattern: this.config.NOTIFIER_REMINDER_CRON, tz: 'UTC' }, { name: 'reminder-tick', data: { kind: 'reminder-tick' } });
  }

  close(): Promise<void> {
    this.untrack();
    return this.queue.close();
  }
}
