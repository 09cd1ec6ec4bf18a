import { int } from '@jobstream/platform/config';

export const SnapshotConfigSpec = {
  ANALYTICS_SNAPSHOT_INTERVAL_MS: int({
    description: 'How often changed postings and companies are published to posting-stats / company-insights (at most once per key per interval); the counters and trending order of search and pages are this much older than GET /v1/postings/:id/stats',
    // 1 s made the search projection rewrite a hot posting (its text analysed again) every second:
    // in the lag bench it fell 400-3,300 snapshots behind and new postings waited behind them.
    default: 5000,
    min: 100,
    max: 60000,
  }),
  ANALYTICS_SNAPSHOT_MAX_KEYS: int({ description: 'Most snapshots of each kind published per interval (the rest wait for the next)', default: 1000, min: 1, max: 100000 }),
};
