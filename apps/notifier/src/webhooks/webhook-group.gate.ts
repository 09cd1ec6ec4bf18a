import { Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { KafkaEventTransport } from '@jobstream/messaging/kafka.transport';
import type { OnDemandGroup } from '@jobstream/messaging/on-demand-group';
import { WebhookStore } from './webhook-store.repository';
import { firstDeliveryTime } from './webhook-policy.util';

/** The on-demand projection the webhooks consumer runs in (`@OnEvents(…, { group: 'webhooks' })`). */
export const WEBHOOKS_PROJECTION = 'webhooks';

/** How often each replica compares its webhooks group with the subscription set. */
const CHECK_MS = 5000;
/** Longest a skip may hold the set lock; a first subscription's creation waits at most this long. */
const LOCK_MS = 15_000;
const LOCK_POLL_MS = 25;

/**
 * Runs the webhooks consumer group only while at least one subscription exists (active, paused or
 * disabled: the last two still record skipped deliveries). With none, reading every topic delivers
 * nothing; on a busy board that was a sixth of a core.
 *
 * While there are none, each check moves the group's offsets to the end of the topics, so its lag
 * reads 0 and a later start doesn't deliver what happened before. A skip and a first subscription's
 * creation take the same Redis lock, and a start begins at the oldest subscription's creation (see
 * firstDeliveryTime): so whatever replica creates it and whichever replica starts first, no event
 * after a subscription's creation is skipped.
 */
@Injectable()
export class WebhookGroupGate implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private stopping = false;
  private nudged = false;
  private wake?: () => void;
  private loop?: Promise<void>;

  constructor(
    private readonly transport: KafkaEventTransport,
    private readonly store: WebhookStore,
    @InjectPinoLogger(WebhookGroupGate.name) private readonly logger: PinoLogger,
  ) {}

  onApplicationBootstrap(): void {
    this.loop = this.run();
  }

  /** After a change through this replica's API: its own group follows at once, not at the next check. */
  nudge(): void {
    this.nudged = true;
    this.wake?.();
  }

  /**
   * Runs a subscription's creation under the set lock, so that no skip of the idle group can
   * interleave with it. The creation time must be taken inside `create`.
   */
  async creating<T>(create: () => Promise<T>): Promise<T> {
    const owner = randomUUID();
    const deadline = Date.now() + LOCK_MS;
    while (!(await this.store.lockSet(owner, LOCK_MS))) {
      // A skip that outlives its lock has lost it anyway: go on rather than refuse the operator.
      if (Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, LOCK_POLL_MS));
    }
    try {
      return await create();
    } finally {
      await this.store.unlockSet(owner);
      this.nudge();
    }
  }

  private async run(): Promise<void> {
    const stopped = new Promise<undefined>((resolve) => (this.wake = () => this.stopping && resolve(undefined)));
    const group = await Promise.race([this.transport.onDemandGroup(WEBHOOKS_PROJECTION), stopped]);
    while (group && !this.stopping) {
      this.nudged = false;
      try {
        await this.check(group);
      } catch (err) {
        this.logger.warn({ err }, 'webhooks group check failed; retrying at the next');
      }
      if (this.nudged || this.stopping) continue; // a change came during the check
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, CHECK_MS);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  private async check(group: OnDemandGroup): Promise<void> {
    const subs = await this.store.subscriptions();
    if (subs.length > 0) {
      if (!group.running) await group.start(firstDeliveryTime(subs));
      return;
    }
    if (group.running) await group.stop();
    const owner = randomUUID();
    if (!(await this.store.lockSet(owner, LOCK_MS))) return; // a creation (or another replica's skip) is under way
    try {
      if ((await this.store.subscriptionCount()) === 0) await group.skipToEnd();
    } finally {
      await this.store.unlockSet(owner);
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
  }
}
