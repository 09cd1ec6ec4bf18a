import type { ConfigOf } from '@jobstream/platform/config';
import { ConsumerConfigSpec, KafkaConfigSpec } from '@jobstream/messaging/messaging.config';
import { platformConfigSpec } from '@jobstream/platform/platform.config';
import { RedisConfigSpec } from '@jobstream/platform/redis.config';
import { mongoConfigSpec } from '@jobstream/platform/mongo.config';
import { AnalyticsRedisConfigSpec } from './analytics-redis.config';
import { TrendingConfigSpec } from './trending/trending.config';
import { SnapshotConfigSpec } from './snapshots/snapshot.config';

export const AnalyticsConfigSpec = {
  ...platformConfigSpec(3002),
  ...KafkaConfigSpec,
  ...ConsumerConfigSpec,
  KAFKA_GROUP_ID: { ...ConsumerConfigSpec.KAFKA_GROUP_ID, default: 'analytics' },
  // Engagement events are tiny and applied by one Redis script per slice: the per-slice round trips
  // (script, offset commit, heartbeat) are the cost, so bigger slices (measured: npm run bench).
  CONSUMER_MAX_BATCH: { ...ConsumerConfigSpec.CONSUMER_MAX_BATCH, default: 500 },
  ...mongoConfigSpec('jobstream_analytics'),
  ...RedisConfigSpec,
  ...AnalyticsRedisConfigSpec,
  ...TrendingConfigSpec,
  ...SnapshotConfigSpec,
};
export type AnalyticsConfig = ConfigOf<typeof AnalyticsConfigSpec>;
