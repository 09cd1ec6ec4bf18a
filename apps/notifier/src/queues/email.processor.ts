import { Inject, Injectable } from '@nestjs/common';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type Redis from 'ioredis';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { renderEmail, postingUrlFrom, type RenderContext } from '../mail/email-render.util';
import type { EmailJob, Person } from '../mail/email.job';
import { Mailer } from '../mail/mailer';
import { classifySendFailure, emailRetryDelay, withoutEmails } from '../mail/send-policy.util';
import { NotifierStore } from '../store/notifier-store.repository';
import { EMAIL_BACKOFF_TYPE } from './email.producer';
import { QueueName } from './queue-names';
import { emailMetrics } from './queue.metrics';
import { QUEUE_REDIS, type NotifierConfig } from './queue.tokens';
import { APP_CONFIG } from '@jobstream/platform/platform.module';

export type EmailResult = { sent: true; recipients: number } | { sent: false; skipped: 'already-sent' | 'no-recipients' };

/** The hiring team isn't known yet (it travels on another topic): retried with backoff. */
export class RecipientsUnknownError extends Error {
  constructor(postingId: string) {
    super(`no hiring team known yet for posting ${postingId}`);
    this.name = 'RecipientsUnknownError';
  }
}

/**
 * Sends the emails of the email queue. Exactly-once as far as SMTP allows: a job whose email was
 * sent leaves a "sent" marker right after the server accepted it, and every attempt checks the
 * marker first. The residual window is a crash between the SMTP server's acceptance and that
 * marker write (one Redis round trip): the job is then picked up again and the email sent twice.
 */
@Injectable()
export class EmailProcessor {
  private worker?: Worker<EmailJob, EmailResult>;
  private readonly ctx: RenderContext;

  constructor(
    @Inject(QUEUE_REDIS) private readonly connection: Redis,
    @Inject(APP_CONFIG) private readonly config: NotifierConfig,
    private readonly store: NotifierStore,
    private readonly mailer: Mailer,
    @InjectPinoLogger(EmailProcessor.name) private readonly logger: PinoLogger,
  ) {
    this.ctx = { postingUrl: postingUrlFrom(config.POSTING_URL_TEMPLATE) };
  }

  start(): void {
    const c = this.config;
    this.worker = new Worker<EmailJob, EmailResult>(QueueName.Email, (job) => this.process(job), {
      connection: this.connection,
      prefix: c.NOTIFIER_QUEUE_PREFIX,
      concurrency: c.NOTIFIER_CONCURRENCY,
      limiter: { max: c.NOTIFIER_RATE_MAX, duration: c.NOTIFIER_RATE_WINDOW_MS },
      lockDuration: c.NOTIFIER_JOB_LOCK_MS,
      stalledInterval: c.NOTIFIER_JOB_LOCK_MS,
      // A stalled job is one whose worker died mid-send; the sent marker makes picking it up again safe.
      maxStalledCount: 10,
      settings: {
        backoffStrategy: (attemptsMade: number, type?: string) =>
          type === EMAIL_BACKOFF_TYPE ? emailRetryDelay(attemptsMade, c.NOTIFIER_BACKOFF_BASE_MS, c.NOTIFIER_BACKOFF_MAX_MS) : 0,
      },
    });
    this.worker.on('failed', (job, err) => {
      if (!job) return;
      const permanent = err instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
      const entry = { jobId: job.id ?? '', kind: job.data.kind, attemptsMade: job.attemptsMade, error: withoutEmails(err.message) };
      emailMetrics.failed.inc({ kind: job.data.kind, final: String(permanent) });
      if (permanent) {
        this.logger.error(entry, 'email failed for good');
        void this.store.recordPermanentFailure(entry).catch((e: unknown) => this.logger.error({ err: e }, 'could not record failure'));
      } else {
        this.logger.warn(entry, 'email failed; will retry');
      }
    });
    this.worker.on('error', (err) => this.logger.error({ err: { message: withoutEmails(err.message) } }, 'email worker error'));
  }

  get running(): boolean {
    return this.worker?.isRunning() ?? false;
  }

  async process(job: Job<EmailJob, EmailResult>): Promise<EmailResult> {
    const jobId = job.id!;
    if (await this.store.wasSent(jobId)) {
      emailMetrics.skipped.inc({ kind: job.data.kind, reason: 'already-sent' });
      return { sent: false, skipped: 'already-sent' };
    }
    const to = await this.recipients(job.data);
    if (to.length === 0) {
      this.logger.warn({ jobId, kind: job.data.kind }, 'email has no recipients; skipped');
      emailMetrics.skipped.inc({ kind: job.data.kind, reason: 'no-recipients' });
      return { sent: false, skipped: 'no-recipients' };
    }
    const email = renderEmail(job.data, this.ctx);
    try {
      await this.mailer.send({ ...email, to, messageId: `<${jobId}@jobstream.notifier>` });
    } catch (err) {
      const message = withoutEmails((err as Error)?.message ?? String(err));
      if (classifySendFailure(err) === 'permanent') throw new UnrecoverableError(`permanent SMTP failure: ${message}`);
      throw new Error(`transient SMTP failure: ${message}`);
    }
    // Immediately after acceptance: the shorter this gap, the smaller the resend-after-crash window.
    await this.markSent(jobId);
    emailMetrics.sent.inc({ kind: job.data.kind });
    this.logger.info({ jobId, kind: job.data.kind, recipients: to.length }, 'email sent');
    return { sent: true, recipients: to.length };
  }

  /**
   * The email is out: failing the job now would send it again on retry. So a Redis outage here is
   * waited out (up to the job lock; past it the job counts as stalled and may be picked up anyway).
   */
  private async markSent(jobId: string): Promise<void> {
    const deadline = Date.now() + this.config.NOTIFIER_JOB_LOCK_MS;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.store.markSent(jobId, this.config.NOTIFIER_SENT_MARKER_DAYS * 86400);
      } catch (err) {
        if (Date.now() > deadline) throw err;
        this.logger.warn({ jobId, err: { message: withoutEmails((err as Error).message) } }, 'sent marker not stored yet; retrying');
        await new Promise((r) => setTimeout(r, Math.min(200 * 2 ** attempt, 2000)));
      }
    }
  }

  private async recipients(job: EmailJob): Promise<Person[]> {
    switch (job.kind) {
      case 'application-confirmed':
      case 'application-rejected':
        return [job.candidate];
      case 'recruiter-digest':
        return [job.recruiter];
      case 'webhook-disabled':
        return [job.operator];
      case 'new-applicant':
      case 'expiry-reminder': {
        const team = await this.store.hiringTeam(job.postingId);
        if (!team) throw new RecipientsUnknownError(job.postingId);
        return team.members;
      }
    }
  }

  /** Stops taking jobs and waits for the ones in flight (their markers written) before returning. */
  async close(): Promise<void> {
    await this.worker?.close();
  }
}
