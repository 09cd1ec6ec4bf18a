import type { NotifierConfig } from '../notifier.config';

/** The notifier's own Redis connection for BullMQ and its store (closed last, after workers drained). */
export const QUEUE_REDIS = Symbol('jobstream:queue-redis');

export type { NotifierConfig };
