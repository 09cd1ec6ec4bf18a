import { int, list, str, type ConfigOf } from '@jobstream/platform/config';
import { KafkaConfigSpec } from '@jobstream/messaging/messaging.config';

export const OpsConfigSpec = {
  ...KafkaConfigSpec,
  KAFKA_REPLICATION_FACTOR: int({ description: 'Replication factor of provisioned topics (3 in production clusters)', default: 1, min: 1, max: 10 }),
  KAFKA_DLQ_GROUPS: list({
    description: 'Consumer groups whose dead-letter topics are provisioned up front',
    default: ['listings', 'listings-applications', 'listings-search-v2', 'listings-search-stats-v2', 'analytics', 'notifier', 'notifier-webhooks'],
    itemPattern: /^[A-Za-z0-9._-]{1,200}$/,
    hint: 'a consumer group id',
  }),
  KAFKA_USER_PASSWORDS_DIR: str({
    description: '`ops provision`: a directory with one file per Kafka principal (ingest, listings, search, analytics, notifier, ops, subscriber) holding its password; those users are created or updated',
    default: '',
  }),
  KAFKA_ACL_GROUPS: list({
    description: '`ops provision`: consumer groups of services whose KAFKA_GROUP_ID is not their name, as service=group pairs (ACLs follow them)',
    default: [],
    itemPattern: /^[a-z]+=[A-Za-z0-9._-]{1,200}$/,
    hint: 'service=group',
  }),
  KAFKA_PRINCIPAL_PREFIX: str({
    description: '`ops provision`: prefix of the usernames it manages (e.g. "staging-" for staging-listings); empty in a deployment of its own',
    default: '',
    pattern: /^[A-Za-z0-9._-]{0,50}$/,
    hint: 'letters, digits, dot, dash or underscore',
  }),
};
export type OpsConfig = ConfigOf<typeof OpsConfigSpec>;
