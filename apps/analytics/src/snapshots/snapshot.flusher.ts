import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { v7 as uuidv7 } from 'uuid';
import { createEvent, type AnyEvent } from '@jobstream/contracts';
import { EventPublisher } from '@jobstream/messaging/event-publisher';
import { APP_CONFIG } from '@jobstream/platform';
import type { AnalyticsConfig } from '../analytics.config';
import { ContributionsRepository } from '../contributions/contributions.repository';
import { EngagementRepository } from '../engagement/engagement.repository';
import { TrendingRepository } from '../trending/trending.repository';
import { DirtyKeysRepository, type DirtyKind } from './dirty-keys.repository';

/**
 * Coalescing publisher of the compacted snapshot topics. Consumers only mark keys dirty (in Redis,
 * atomically with their effects); every interval one replica (a Redis lock) publishes the current
 * state of the marked keys, so a posting viewed 10,000 times a second yields one snapshot a second.
 * A mark is cleared only after the broker acknowledged the snapshot, and only if nothing re-marked
 * the key meanwhile, so no final state is ever left unpublished.
 */
const MAX_PUBLISH_BYTES = 256 * 1024;

@Injectable()
export class SnapshotFlusher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private inFlight?: Promise<void>;
  private readonly owner = uuidv7();

  constructor(
    private readonly dirty: DirtyKeysRepository,
    private readonly engagement: EngagementRepository,
    private readonly contributions: ContributionsRepository,
    private readonly trending: TrendingRepository,
    private readonly publisher: EventPublisher,
    @Inject(APP_CONFIG) private readonly config: AnalyticsConfig,
    @InjectPinoLogger(SnapshotFlusher.name) private readonly logger: PinoLogger,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      if (this.inFlight) return; // a slow flush is never overlapped by the next
      this.inFlight = this.flush()
        .then(() => undefined)
        .catch((err: unknown) => this.logger.warn({ err }, 'snapshot flush failed; marks kept for the next interval'))
        .finally(() => (this.inFlight = undefined));
    }, this.config.ANALYTICS_SNAPSHOT_INTERVAL_MS);
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.inFlight;
  }

  /** One interval's work; public so tests and operators can force it. */
  async flush(): Promise<{ postings: number; companies: number }> {
    if (!(await this.dirty.tryFlushLock(this.owner, this.config.ANALYTICS_SNAPSHOT_INTERVAL_MS))) return { postings: 0, companies: 0 };
    const postings = await this.flushKind('postings', async (ids) => {
      const counters = await this.engagement.countersOf(ids);
      const updatedAt = new Date().toISOString();
      return counters.flatMap((c) => (c ? [createEvent('posting-stats.updated', { ...c, updatedAt }, 'analytics')] : []));
    });
    const companies = await this.flushKind('companies', async (ids) => {
      const [insights, scores] = await Promise.all([this.contributions.insightsOf(ids), this.trending.companyScores(ids)]);
      const updatedAt = new Date().toISOString();
      return insights.map((i, k) =>
        createEvent('company-insights.updated', { companyId: i.companyId, salaries: i.salaries, reviews: i.reviews, interviews: i.interviews, trendingScore: scores[k], updatedAt }, 'analytics'),
      );
    });
    return { postings, companies };
  }

  private async flushKind(kind: DirtyKind, build: (ids: string[]) => Promise<AnyEvent[]>): Promise<number> {
    const marks = await this.dirty.peek(kind, this.config.ANALYTICS_SNAPSHOT_MAX_KEYS);
    if (marks.length === 0) return 0;
    const events = await build(marks.map((m) => m.key));
    // Publish in chunks well under the broker's 1 MB batch limit: a backlog (e.g. after a replay)
    // must not become one oversized request that the broker refuses forever.
    let chunk: AnyEvent[] = [];
    let bytes = 0;
    for (const event of events) {
      const size = JSON.stringify(event).length + 200;
      if (chunk.length > 0 && bytes + size > MAX_PUBLISH_BYTES) {
        await this.publisher.publish(chunk);
        chunk = [];
        bytes = 0;
      }
      chunk.push(event);
      bytes += size;
    }
    if (chunk.length > 0) await this.publisher.publish(chunk);
    await this.dirty.clear(kind, marks);
    this.logger.debug({ kind, published: events.length }, 'snapshots published');
    return events.length;
  }
}
