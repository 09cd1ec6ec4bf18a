import { Controller } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { OnEvents, type EventBatch } from '@jobstream/messaging/on-events.decorator';
import { emailJobsForOutcome, utcDay } from '../mail/email-jobs.util';
import { EmailProducer } from '../queues/email.producer';
import { NotifierStore } from '../store/notifier-store.repository';

/**
 * Application outcomes become email jobs. The handler resolves only once addBulk stored every job
 * in Redis, so the offset is committed after the jobs are durable; a redelivery re-adds the same
 * job ids, which BullMQ ignores.
 */
@Controller()
export class OutcomesConsumer {
  constructor(
    private readonly emails: EmailProducer,
    private readonly store: NotifierStore,
    @InjectPinoLogger(OutcomesConsumer.name) private readonly logger: PinoLogger,
  ) {}

  @OnEvents(['application.accepted', 'application.rejected'])
  async enqueue(batch: EventBatch<'application.accepted' | 'application.rejected'>): Promise<void> {
    const jobs = batch.flatMap(({ event }) => emailJobsForOutcome(event));
    const applicants = batch.flatMap(({ event }) =>
      event.type === 'application.accepted'
        ? [{ postingId: event.data.postingId, date: utcDay(event.data.decidedAt), applicationId: event.data.applicationId }]
        : [],
    );
    await this.store.recordApplicants(applicants);
    await this.emails.enqueue(jobs);
    this.logger.debug({ eventIds: batch.map((e) => e.event.id), jobs: jobs.length }, 'outcome emails enqueued');
  }
}
