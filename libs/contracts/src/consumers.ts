import type { EventType, TopicName } from './catalog';
import { TopicCatalog, Topics } from './catalog';

/**
 * Who consumes what, in one table. Outside subscribers, the AsyncAPI `receive` operations and the
 * broker ACLs all read it, and a spec checks it against the handlers the services really register,
 * so it can't drift from the code.
 */
export const Services = ['ingest', 'listings', 'analytics', 'notifier', 'ops'] as const;
export type ServiceName = (typeof Services)[number];

/**
 * Broker principals: one per service, the listings search projection on its own (it reads with
 * its own credentials), and the read-only principal of outside subscribers.
 */
export const Principals = ['ingest', 'listings', 'search', 'analytics', 'notifier', 'ops', 'subscriber'] as const;
export type PrincipalName = (typeof Principals)[number];

export interface ConsumerSpec {
  readonly service: ServiceName;
  /** The broker principal this group reads as, when it is not the service's own. */
  readonly principal?: PrincipalName;
  /**
   * The projection suffix: its handlers run in consumer group `<KAFKA_GROUP_ID>-<group>`.
   * Absent for the service's main group (`KAFKA_GROUP_ID`, by default the service name).
   */
  readonly group?: string;
  readonly topic: TopicName;
  readonly events: readonly EventType[];
  readonly purpose: string;
}

const postingLifecycle = ['posting.published', 'posting.updated', 'posting.closed', 'posting.expired'] as const satisfies readonly EventType[];

export const Consumers: readonly ConsumerSpec[] = [
  { service: 'listings', topic: Topics.companies, events: ['company.upserted'], purpose: 'the company store of record (application policies)' },
  { service: 'listings', topic: Topics.postings, events: postingLifecycle, purpose: 'the posting store of record (what application decisions read)' },
  { service: 'listings', group: 'applications', topic: Topics.applications, events: ['application.submitted'], purpose: 'application decisions, in the order applied' },
  { service: 'listings', group: 'search', principal: 'search', topic: Topics.postings, events: postingLifecycle, purpose: 'the search index and the posting page' },
  { service: 'listings', group: 'search-stats', principal: 'search', topic: Topics.postingStats, events: ['posting-stats.updated'], purpose: 'counters on the posting page, trending sort in search' },
  { service: 'listings', group: 'search', principal: 'search', topic: Topics.companies, events: ['company.upserted'], purpose: 'company names in search, company panels and pages' },
  { service: 'listings', group: 'search', principal: 'search', topic: Topics.companyInsights, events: ['company-insights.updated'], purpose: 'salary, review and interview summaries on posting and company pages' },
  { service: 'analytics', topic: Topics.postings, events: postingLifecycle, purpose: 'which postings exist, for counters and trending' },
  { service: 'analytics', topic: Topics.companies, events: ['company.upserted'], purpose: 'company names in aggregates' },
  { service: 'analytics', topic: Topics.contributions, events: ['salary.reported', 'review.submitted', 'interview.reported'], purpose: 'salary, review and interview aggregates' },
  {
    service: 'analytics',
    topic: Topics.engagement,
    events: ['posting.viewed', 'posting.apply-clicked', 'posting.scrapped', 'posting.unscrapped', 'posting.mock-applied'],
    purpose: 'engagement counters and trending',
  },
  { service: 'notifier', topic: Topics.postings, events: postingLifecycle, purpose: 'posting titles and state for emails' },
  { service: 'notifier', topic: Topics.postingStats, events: ['posting-stats.updated'], purpose: 'applicant counts in recruiter emails' },
  { service: 'notifier', topic: Topics.hiringTeams, events: ['hiring-team.updated'], purpose: 'who receives applicant emails' },
  { service: 'notifier', topic: Topics.applicationOutcomes, events: ['application.accepted', 'application.rejected'], purpose: 'recruiter and candidate emails' },
  // Signed webhooks for outside subscribers: every topic, restricted ones delivered only to subscriptions scoped to the event's company.
  ...TopicCatalog.map((t): ConsumerSpec => ({ service: 'notifier', group: 'webhooks', topic: t.name, events: t.events, purpose: 'signed webhooks to outside subscribers' })),
];

/** The events each service produces, for the broker ACLs and the AsyncAPI `send` operations. */
export const Producers: Readonly<Record<ServiceName, readonly TopicName[]>> = {
  ingest: [Topics.companies, Topics.postings, Topics.hiringTeams, Topics.engagement, Topics.contributions, Topics.applications],
  listings: [Topics.applicationOutcomes],
  analytics: [Topics.postingStats, Topics.companyInsights],
  notifier: [],
  ops: [],
};

/** The consumer group a table row runs in, given the service's `KAFKA_GROUP_ID`. */
export const consumerGroupOf = (spec: Pick<ConsumerSpec, 'group'>, baseGroupId: string): string =>
  spec.group ? `${baseGroupId}-${spec.group}` : baseGroupId;

/** The principal a table row's consumer group reads as. */
export const principalOf = (spec: Pick<ConsumerSpec, 'service' | 'principal'>): PrincipalName => spec.principal ?? spec.service;
