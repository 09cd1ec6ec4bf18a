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
  ...mongoConfigSpec('jobstream_analytics'),
  ...RedisConfigSpec,
  ...AnalyticsRedisConfigSpec,
  ...TrendingConfigSpec,
  ...SnapshotConfigSpec,
};
export type AnalyticsConfig = ConfigOf<typeof AnalyticsConfigSpec>;
