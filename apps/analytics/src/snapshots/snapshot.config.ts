import { int } from '@jobstream/platform/config';

export const SnapshotConfigSpec = {
  ANALYTICS_SNAPSHOT_INTERVAL_MS: int({
    description: 'How often changed postings and companies are published to posting-stats / company-insights (at most once per key per interval)',
    default: 1000,
    min: 100,
    max: 60000,
  }),
  ANALYTICS_SNAPSHOT_MAX_KEYS: int({ description: 'Most snapshots of each kind published per interval (the rest wait for the next)', default: 1000, min: 1, max: 100000 }),
};
