import { Inject, Injectable, type OnApplicationBootstrap, type BeforeApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '@jobstream/platform/logger';
import { PostingRegistryRepository } from './posting-registry.repository';
import { PostingsService } from './postings.service';

export const EXPIRY_SWEEP_INTERVAL = Symbol('jobstream:expiry-sweep-interval');

/**
 * Expires postings whose expiresAt passed. Every ingest replica sweeps; the registry's
 * compare-and-set makes each expiry happen once however many replicas race for it.
 */
@Injectable()
export class ExpirySweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private sweeping?: Promise<number>;
  private readonly logger: Logger;

  constructor(
    private readonly registry: PostingRegistryRepository,
    private readonly postings: PostingsService,
    @Inject(EXPIRY_SWEEP_INTERVAL) private readonly intervalMs: number,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'expiry-sweeper' });
  }

  onApplicationBootstrap(): void {
    if (this.intervalMs <= 0) return;
    this.timer = setInterval(() => void this.sweep(), this.intervalMs);
    this.timer.unref();
  }

  /** Runs one sweep (or joins the one under way); returns how many postings it expired. */
  sweep(now = new Date()): Promise<number> {
    this.sweeping ??= this.run(now).finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  private async run(now: Date): Promise<number> {
    let expired = 0;
    try {
      for (;;) {
        const due = await this.registry.dueForExpiry(now, 100);
        if (due.length === 0) break;
        const results = await Promise.all(due.map((id) => this.postings.write({ kind: 'expire' }, id)));
        const changed = results.filter((r) => r.result !== 'unchanged').length;
        expired += changed;
        if (changed === 0) break;
      }
      if (expired > 0) this.logger.info({ expired }, 'postings expired');
    } catch (err) {
      this.logger.warn({ err }, 'expiry sweep failed; will retry');
    }
    return expired;
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.sweeping;
  }
}
