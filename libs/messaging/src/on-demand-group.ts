import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { redriveTopic } from '@jobstream/contracts';
import type { EventConsumer, ConsumerStats } from './event-consumer';
import { advanceGroup, isGroupInUse } from './start-position';
import { provisionTopics } from './topic-provisioner';
import { gauge } from '@jobstream/platform/metrics';

const running = gauge({ name: 'jobstream_on_demand_group_running', help: 'Whether this replica consumes in the on-demand group (1) or has it stopped for want of work (0)', labelNames: ['group'] });

/**
 * A consumer group the service runs only while it has work to do (MessagingOptions'
 * `onDemandProjections`), switched by the service itself: the notifier's webhooks group, which has
 * nothing to deliver while nobody has subscribed and would otherwise read every topic for nothing.
 *
 * While stopped, `skipToEnd` keeps its committed offsets at the end of the topics, so its lag reads
 * what it is (nothing to do); `start(from)` first moves them to the first event stamped at `from`,
 * unless the group already committed further. Start, stop and skip run one at a time.
 */
export class OnDemandGroup {
  private consumer?: EventConsumer;
  private closed = false;
  private provisioned = false;
  private queue: Promise<unknown> = Promise.resolve();
  /** Counters summed over every run of the group in this process. */
  readonly stats: ConsumerStats = { consumed: 0, handled: 0, deadLettered: 0, failures: 0 };

  constructor(
    private readonly kafka: Kafka,
    readonly groupId: string,
    private readonly topics: readonly string[],
    private readonly create: (stats: ConsumerStats) => EventConsumer,
    private readonly logger: Logger,
  ) {
    running.set({ group: groupId }, 0);
  }

  get running(): boolean {
    return this.consumer !== undefined;
  }

  /**
   * Starts consuming (if it isn't), from the first event stamped at or after `from` on each
   * partition, or from where the group committed if that is further. If another replica is already
   * consuming, Kafka keeps the group's offsets and this one just joins.
   */
  start(from: Date): Promise<void> {
    return this.serially(async () => {
      if (this.closed || this.consumer) return;
      const moved = await this.withAdmin((admin) => advanceGroup(this.kafka, admin, this.groupId, this.allTopics(), from)).catch((err: unknown) => {
        if (isGroupInUse(err)) return 0;
        throw err;
      });
      this.consumer = this.create(this.stats);
      this.consumer.start();
      running.set({ group: this.groupId }, 1);
      this.logger.info({ groupId: this.groupId, from: from.toISOString(), moved }, 'on-demand group started');
    });
  }

  /** Stops consuming: the in-flight slice finishes and is committed, then this member leaves the group. */
  stop(): Promise<void> {
    return this.serially(async () => {
      const consumer = this.consumer;
      this.consumer = undefined;
      if (!consumer) return;
      running.set({ group: this.groupId }, 0);
      await consumer.stop();
      this.logger.info({ groupId: this.groupId }, 'on-demand group stopped');
    });
  }

  /**
   * While stopped here and everywhere else: commits the end of every partition, if `stillIdle`
   * (asked after the ends are read) agrees. Committing ends read before a moment at which the group
   * had nothing to do never skips what comes after that moment, however slow the commit. Answers
   * how many partitions moved: 0 when running, cancelled, already at the end, or refused because a
   * member of another replica is still in the group.
   */
  skipToEnd(stillIdle: () => Promise<boolean>): Promise<number> {
    return this.serially(async () => {
      if (this.closed || this.consumer) return 0;
      return this.withAdmin((admin) => advanceGroup(this.kafka, admin, this.groupId, this.allTopics(), 'end', stillIdle)).catch((err: unknown) => {
        if (isGroupInUse(err)) return 0;
        throw err;
      });
    });
  }

  /** Stops for good (shutdown): no start after this. */
  close(): Promise<void> {
    this.closed = true;
    return this.stop();
  }

  private allTopics(): string[] {
    return [...this.topics, redriveTopic(this.groupId)];
  }

  private async withAdmin<T>(work: (admin: ReturnType<Kafka['admin']>) => Promise<T>): Promise<T> {
    const admin = this.kafka.admin();
    try {
      await admin.connect();
      if (!this.provisioned) {
        // The re-drive topic is created by the group's first start; a skip may come before it.
        await provisionTopics(admin, { dlqGroups: [this.groupId], catalog: false });
        this.provisioned = true;
      }
      return await work(admin);
    } finally {
      await admin.disconnect();
    }
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }
}
