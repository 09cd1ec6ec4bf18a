import type { PinoLogger } from 'nestjs-pino';
import type { AnyEvent } from '@jobstream/contracts';
import type { EventPublisher } from '@jobstream/messaging/event-publisher';
import type { AnalyticsConfig } from '../analytics.config';
import type { ContributionsRepository } from '../contributions/contributions.repository';
import type { EngagementRepository } from '../engagement/engagement.repository';
import type { TrendingRepository } from '../trending/trending.repository';
import type { DirtyKeysRepository, DirtyKind, DirtyMark } from './dirty-keys.repository';
import { SnapshotFlusher } from './snapshot.flusher';

/** The order of reads, publishes and clears is the logic under test: the stores are recorded, not run. */
function flusherWith(dirtyPostings: number) {
  const steps: string[] = [];
  const marks: DirtyMark[] = Array.from({ length: dirtyPostings }, (_, i) => ({ key: `p${i}`, seq: String(i + 1) }));
  const dirty = {
    tryFlushLock: async () => true,
    peek: async (kind: DirtyKind, max: number) => (kind === 'postings' ? marks.slice(0, max) : []),
    clear: async (kind: DirtyKind, cleared: readonly DirtyMark[]) => void steps.push(`clear ${cleared.length}`),
  };
  const engagement = {
    countersOf: async (ids: readonly string[]) => {
      steps.push(`read ${ids.length}`);
      return ids.map((postingId) => ({ postingId, companyId: 'c1', totalViews: 1, uniqueViewers: 1, applyClicks: 0, scraps: 0, mockApplicants: 0, trendingScore: 0, daily: [] }));
    },
  };
  const publisher = { publish: async (events: readonly AnyEvent[]) => void steps.push(`publish ${events.length}`) };
  const config = { ANALYTICS_SNAPSHOT_INTERVAL_MS: 5000, ANALYTICS_SNAPSHOT_MAX_KEYS: 250 } as AnalyticsConfig;
  const logger = { debug: () => undefined, warn: () => undefined } as unknown as PinoLogger;
  const flusher = new SnapshotFlusher(
    dirty as unknown as DirtyKeysRepository,
    engagement as unknown as EngagementRepository,
    {} as ContributionsRepository,
    {} as TrendingRepository,
    publisher as unknown as EventPublisher,
    config,
    logger,
  );
  return { flusher, steps };
}

describe('SnapshotFlusher', () => {
  it('reads, publishes and clears the marked postings 100 at a time, up to the most per interval', async () => {
    const { flusher, steps } = flusherWith(260);
    expect(await flusher.flush()).toEqual({ postings: 250, companies: 0 });
    expect(steps).toEqual(['read 100', 'publish 100', 'clear 100', 'read 100', 'publish 100', 'clear 100', 'read 50', 'publish 50', 'clear 50']);
  });

  it('does nothing when no key is marked', async () => {
    const { flusher, steps } = flusherWith(0);
    expect(await flusher.flush()).toEqual({ postings: 0, companies: 0 });
    expect(steps).toEqual([]);
  });
});
