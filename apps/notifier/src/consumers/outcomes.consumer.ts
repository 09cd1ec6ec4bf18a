import { Injectable } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { Topics } from '@jobstream/contracts';
import { OnTopic } from '@jobstream/messaging/on-topic.decorator';
import type { ConsumedEvent } from '@jobstream/messaging/batch-processor';
import { emailJobsForOutcome, utcDay } from '../mail/email-jobs.util';
import { EmailProducer } from '../queues/email.producer';
import { NotifierStore } from '../store/notifier-store.repository';

/**
 * Application outcomes become email jobs. The handler resolves only once addBulk stored every job
 * in Redis, so the offset is committed after the jobs are durable; a redelivery re-adds the same
 * job ids, which BullMQ ignores.
 */
@Injectable()
export class OutcomesConsumer {
  constructor(
    private readonly emails: EmailProducer,
    private readonly store: NotifierStore,
    @InjectPinoLogger(OutcomesConsumer.name) private readonly logger: PinoLogger,
  ) {}

  @OnTopic(Topics.applicationOutcomes)
  async enqueue(batch: ConsumedEvent[]): Promise<void> {
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
