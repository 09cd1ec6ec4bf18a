import type { ConsumerConfig } from './event-consumer';
import type { KafkaConfig, SaslSettings } from './kafka.client';

export const KAFKA = Symbol('jobstream:kafka');
export const MESSAGING_OPTIONS = Symbol('jobstream:messaging-options');

export interface MessagingOptions {
  service: string;
  kafka: KafkaConfig;
  /** Present for services that consume: the group and its batching/retry settings. */
  consumer?: ConsumerConfig;
  /**
   * Group suffix of each named projection (`@OnEvents(types, { group })`), when it differs from its
   * name: e.g. `{ search: 'search-v2' }` so a new build of a projection replays in a fresh group.
   */
  projectionGroups?: Record<string, string>;
  /** Slice size of a projection whose writes are cheaper in bigger batches than the service's own (e.g. `{ search: 1000 }`). */
  projectionMaxBatch?: Record<string, number>;
  /** Credentials of a projection that consumes as its own broker principal (e.g. `{ search: … }`). */
  projectionSasl?: Record<string, SaslSettings>;
  /**
   * Projections that don't consume from start-up: the service starts and stops each through
   * `KafkaEventTransport.onDemandGroup` (e.g. the notifier's `webhooks`, only while subscriptions exist).
   */
  onDemandProjections?: readonly string[];
}

/** The consumer group of a projection: the service's own group, or `<group>-<projection>`. */
export const projectionGroupId = (groupId: string, projection?: string) => (projection ? `${groupId}-${projection}` : groupId);

/** The consumer group a projection of this service consumes in ('' is the service's own group). */
export const groupIdOfProjection = (options: MessagingOptions, projection = ''): string =>
  projectionGroupId(options.consumer?.KAFKA_GROUP_ID ?? options.service, projection && (options.projectionGroups?.[projection] ?? projection));
