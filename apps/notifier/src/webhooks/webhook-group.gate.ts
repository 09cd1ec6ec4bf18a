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
/** Expiry of the set lock, in case its holder dies; a creation waits at most this long for it. */
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
    this.loop = this.run().catch((err: unknown) => this.logger.error({ err }, 'webhooks group gate stopped; webhooks are not consumed'));
  }

  /** After a change through this replica's API: its own group follows at once, not at the next check. */
  nudge(): void {
    this.nudged = true;
    this.wake?.();
  }

  /**
   * Runs a subscription's creation under the set lock (see stillNone). The creation time must be
   * taken inside `create`. The lock only ever covers a Redis read or write: if it is still taken
   * after LOCK_MS, its holder died and it has expired.
   */
  async creating<T>(create: () => Promise<T>): Promise<T> {
    const owner = randomUUID();
    const deadline = Date.now() + LOCK_MS;
    while (!(await this.store.lockSet(owner, LOCK_MS)) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, LOCK_POLL_MS));
    }
    try {
      return await create();
    } finally {
      // The subscription is saved: an unlock that fails must not turn its answer (the only time
      // its secret is shown) into an error. The lock expires by itself.
      await this.store.unlockSet(owner).catch((err: unknown) => this.logger.warn({ err }, 'webhook set lock not released; it expires by itself'));
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
    await group.skipToEnd(() => this.stillNone());
  }

  /**
   * Whether there is still no subscription, asked under the set lock after the skip has read the
   * ends it would commit. A creation holds the same lock from taking its time to saving it, so it
   * either comes before this answer (and is counted) or after it (and its time is later than the
   * ends read). The lock is held for one Redis read, far from LOCK_MS.
   */
  private async stillNone(): Promise<boolean> {
    const owner = randomUUID();
    if (!(await this.store.lockSet(owner, LOCK_MS))) return false; // a creation is under way: skip at a later check
    try {
      return (await this.store.subscriptionCount()) === 0;
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
