import type { Admin, Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { withTimeout } from '@jobstream/platform/timeout';

export interface BrokerState {
  up: boolean;
  checkedAt: number;
  error?: string;
  brokers?: number;
}

/**
 * Probes the cluster on a timer so readiness and the write path answer from a fresh,
 * cheap reading instead of waiting on a dead broker per request.
 */
export class BrokerMonitor {
  private admin?: Admin;
  private timer?: NodeJS.Timeout;
  private state: BrokerState = { up: false, checkedAt: 0, error: 'not probed yet' };
  private probing?: Promise<void>;
  private stopped = false;
  private confirming = false;
  /** When the broker last acknowledged a write of ours (see acknowledged()). */
  private lastAckAt = 0;

  constructor(
    private readonly kafka: Kafka,
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {}

  start(): void {
    void this.probe();
    this.timer = setInterval(() => void this.probe(), this.intervalMs);
    this.timer.unref();
  }

  current(): BrokerState {
    return this.state;
  }

  /** Up, and known to be up recently enough to trust. */
  isUp(): boolean {
    return this.state.up && Date.now() - this.state.checkedAt < this.intervalMs * 3 + 1000;
  }

  /**
   * The producer's report that the broker just acknowledged a write: the best evidence there is
   * that it is up. A probe that times out while writes are being acknowledged is a busy broker or a
   * busy process, not an outage (see doProbe).
   */
  acknowledged(): void {
    this.lastAckAt = Date.now();
    if (this.state.up) this.state = { ...this.state, checkedAt: this.lastAckAt };
  }

  probe(): Promise<void> {
    // A failed send asks for a probe; after stop() that would open a client nobody closes.
    if (this.stopped) return Promise.resolve();
    this.probing ??= this.doProbe().finally(() => (this.probing = undefined));
    return this.probing;
  }

  private async doProbe(): Promise<void> {
    const startedAt = Date.now();
    const timeout = Math.max(1000, this.intervalMs);
    const admin = (this.admin ??= this.kafka.admin({ retry: { retries: 0 } }));
    const connecting = admin.connect();
    try {
      await withTimeout(connecting, timeout, 'broker connect');
      const cluster = await withTimeout(admin.describeCluster(), timeout, 'describeCluster');
      if (!this.state.up) this.logger.info({ brokers: cluster.brokers.length }, 'kafka broker reachable');
      this.state = { up: true, checkedAt: Date.now(), brokers: cluster.brokers.length };
    } catch (err) {
      // A fresh admin client next time: kafkajs keeps stale connections after a broker restart.
      this.admin = undefined;
      // A connect that timed out may still succeed later: close the client once it has settled.
      void connecting.catch(() => undefined).then(() => admin.disconnect().catch(() => undefined));
      // One slow answer on a busy machine is not an outage: writes were refused for seconds while
      // the producer was fine. Writes acknowledged while this probe waited prove the broker up; else
      // a broker that was up is declared down when a second probe, made at once, fails too (a dead
      // broker is still reported within two probe timeouts: its writes time out too).
      if (this.state.up && this.lastAckAt >= startedAt) {
        this.logger.debug({ err }, 'kafka broker probe failed while writes were acknowledged; still up');
        return;
      }
      if (this.state.up && !this.confirming) {
        this.confirming = true;
        this.logger.warn({ err }, 'kafka broker probe failed; probing again before declaring it down');
        return this.doProbe().finally(() => (this.confirming = false));
      }
      if (this.state.up || this.confirming) this.logger.error({ err }, 'kafka broker unreachable');
      this.state = { up: false, checkedAt: Date.now(), error: (err as Error).message };
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.probing;
    await this.admin?.disconnect().catch(() => undefined);
  }
}
