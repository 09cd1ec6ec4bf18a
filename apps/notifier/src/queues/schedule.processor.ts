import { Inject, Injectable } from '@nestjs/common';
import { Worker, type Job } from 'bullmq';
import type Redis from 'ioredis';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { Topics, type TopicName } from '@jobstream/contracts';
import { GroupWatermarks } from '@jobstream/messaging/group-watermark';
import { digestsByRecruiter, jobIdOf, utcDay, type TeamForDigest } from '../mail/email-jobs.util';
import type { DigestRow, EmailJobSpec, ScheduleJob } from '../mail/email.job';
import { NotifierStore } from '../store/notifier-store.repository';
import { EmailProducer } from './email.producer';
import { QueueName } from './queue-names';
import { QUEUE_REDIS, type NotifierConfig } from './queue.tokens';
import { APP_CONFIG } from '@jobstream/platform/platform.module';

/** What a digest is computed from: the notifier's own projections of these topics. */
export const DIGEST_INPUT_TOPICS: readonly TopicName[] = [Topics.postings, Topics.hiringTeams, Topics.postingStats, Topics.applicationOutcomes];
/** How long a digest tick waits in-process for the consumers before it fails and BullMQ retries it (with backoff). */
const DIGEST_WAIT_MS = 60_000;
const DIGEST_POLL_MS = 250;

/**
 * Runs the job schedulers' ticks: each tick only enqueues emails (with deterministic ids, so a
 * retried or doubled tick sends nothing twice); the email worker sends them.
 */
@Injectable()
export class ScheduleProcessor {
  private worker?: Worker<ScheduleJob, number>;
  private closing = false;

  constructor(
    @Inject(QUEUE_REDIS) private readonly connection: Redis,
    @Inject(APP_CONFIG) private readonly config: NotifierConfig,
    private readonly store: NotifierStore,
    private readonly emails: EmailProducer,
    private readonly watermarks: GroupWatermarks,
    @InjectPinoLogger(ScheduleProcessor.name) private readonly logger: PinoLogger,
  ) {}

  start(): void {
    this.worker = new Worker<ScheduleJob, number>(QueueName.Schedule, (job) => this.process(job), {
      connection: this.connection,
      prefix: this.config.NOTIFIER_QUEUE_PREFIX,
      concurrency: 1,
    });
    this.worker.on('failed', (job, err) => this.logger.error({ jobId: job?.id, err: { message: err.message } }, 'scheduled tick failed'));
  }

  get running(): boolean {
    return this.worker?.isRunning() ?? false;
  }

  async process(job: Job<ScheduleJob, number>, now = new Date()): Promise<number> {
    const jobs = job.data.kind === 'digest-tick' ? await this.digests(now) : await this.reminders(now);
    await this.emails.enqueue(jobs);
    this.logger.info({ kind: job.data.kind, emails: jobs.length }, 'scheduled emails enqueued');
    return jobs.length;
  }

  /**
   * Yesterday's (UTC) views, apply clicks and applicants of each posting, one digest per recruiter.
   * A digest is sent once, so it is computed only after the notifier's consumers have committed
   * everything the topics held at the tick: what it says never depends on how far they lagged.
   */
  async digests(now: Date): Promise<EmailJobSpec[]> {
    await this.consumedAsOfNow(DIGEST_INPUT_TOPICS);
    const date = utcDay(new Date(now.getTime() - 86_400_000));
    const teams: TeamForDigest[] = [];
    const numbers = new Map<string, Omit<DigestRow, 'postingId' | 'postingTitle'>>();
    for (const postingId of await this.store.teamPostingIds()) {
      const [team, posting] = await Promise.all([this.store.hiringTeam(postingId), this.store.posting(postingId)]);
      if (!team || team.members.length === 0 || (posting && posting.status !== 'published')) continue;
      const [stats, applicants] = await Promise.all([this.store.dailyStats(postingId, date), this.store.applicantCount(postingId, date)]);
      teams.push({ postingId, postingTitle: posting?.title ?? team.postingTitle, members: team.members });
      numbers.set(postingId, { views: stats.views, applyClicks: stats.applyClicks, applicants });
    }
    return digestsByRecruiter(date, teams, numbers);
  }

  /**
   * Resolves once the service's consumer group has committed every record these topics hold now.
   * Throws after DIGEST_WAIT_MS, or at shutdown, so that the tick fails and is retried later.
   */
  private async consumedAsOfNow(topics: readonly TopicName[]): Promise<void> {
    const mark = await this.watermarks.now(topics);
    const deadline = Date.now() + DIGEST_WAIT_MS;
    let logged = false;
    for (;;) {
      const behind = await this.watermarks.behind(mark);
      if (behind.length === 0) return;
      if (this.closing || Date.now() >= deadline) throw new Error(`the digest waits for the notifier's consumers to catch up: ${behind.join(', ')}`);
      if (!logged) this.logger.info({ behind }, 'digest waits for the consumers to catch up with the tick');
      logged = true;
      await new Promise((resolve) => setTimeout(resolve, DIGEST_POLL_MS));
    }
  }

  /** Postings expiring within the configured days, reminded once per expiry date. */
  async reminders(now: Date): Promise<EmailJobSpec[]> {
    const until = now.getTime() + this.config.NOTIFIER_REMINDER_DAYS * 86_400_000;
    const jobs: EmailJobSpec[] = [];
    for (const postingId of await this.store.expiringBetween(now.getTime(), until)) {
      const posting = await this.store.posting(postingId);
      if (!posting?.expiresAt || posting.status !== 'published') continue;
      jobs.push({
        jobId: jobIdOf('reminder', postingId, String(Date.parse(posting.expiresAt))),
        data: { kind: 'expiry-reminder', postingId, postingTitle: posting.title, expiresAt: posting.expiresAt },
      });
    }
    return jobs;
  }

  async close(): Promise<void> {
    // A digest waiting for the consumers (stopped by now) gives up at once; BullMQ retries it later.
    this.closing = true;
    await this.worker?.close();
  }
}
