import type { Static, TObject } from '@sinclair/typebox';
import { CompanyUpserted } from './events/company.events';
import {
  HiringTeamUpdated,
  PostingClosed,
  PostingExpired,
  PostingPublished,
  PostingUpdated,
} from './events/posting.events';
import {
  PostingApplyClicked,
  PostingMockApplied,
  PostingScrapped,
  PostingUnscrapped,
  PostingViewed,
} from './events/engagement.events';
import { InterviewReported, ReviewSubmitted, SalaryReported } from './events/contribution.events';
import { ApplicationAccepted, ApplicationRejected, ApplicationSubmitted } from './events/application.events';
import { CompanyInsightsUpdated, PostingStatsUpdated } from './events/snapshot.events';

/**
 * Topic names are a public contract that outside subscribers depend on.
 * NEVER rename a topic: add a new one and migrate.
 */
export const Topics = {
  companies: 'companies',
  postings: 'postings',
  hiringTeams: 'hiring-teams',
  engagement: 'engagement',
  contributions: 'contributions',
  applications: 'applications',
  applicationOutcomes: 'application-outcomes',
  postingStats: 'posting-stats',
  companyInsights: 'company-insights',
} as const;
export type TopicName = (typeof Topics)[keyof typeof Topics];

/** Every event type and its data schema. NEVER rename an event type. */
export const EventSchemas = {
  'company.upserted': CompanyUpserted,
  'posting.published': PostingPublished,
  'posting.updated': PostingUpdated,
  'posting.closed': PostingClosed,
  'posting.expired': PostingExpired,
  'hiring-team.updated': HiringTeamUpdated,
  'posting.viewed': PostingViewed,
  'posting.apply-clicked': PostingApplyClicked,
  'posting.scrapped': PostingScrapped,
  'posting.unscrapped': PostingUnscrapped,
  'posting.mock-applied': PostingMockApplied,
  'salary.reported': SalaryReported,
  'review.submitted': ReviewSubmitted,
  'interview.reported': InterviewReported,
  'application.submitted': ApplicationSubmitted,
  'application.accepted': ApplicationAccepted,
  'application.rejected': ApplicationRejected,
  'posting-stats.updated': PostingStatsUpdated,
  'company-insights.updated': CompanyInsightsUpdated,
} as const satisfies Record<string, TObject>;

export type EventType = keyof typeof EventSchemas;
export type EventData<T extends EventType> = Static<(typeof EventSchemas)[T]>;

export interface TopicSpec {
  readonly name: TopicName;
  /** Which data field is the Kafka key, so per-key order holds where it matters. */
  readonly keyField: string;
  readonly keyDescription: string;
  readonly description: string;
  readonly events: readonly EventType[];
  /** Compacted topics keep only the latest value per key (snapshots). */
  readonly compacted: boolean;
  /** Restricted topics carry PII; only the services named in the README may read them. */
  readonly restricted: boolean;
  /** Environment variable that overrides the partition count, and its default. */
  readonly partitionsEnv: string;
  readonly defaultPartitions: number;
}

export const TopicCatalog: readonly TopicSpec[] = [
  {
    name: Topics.companies,
    keyField: 'companyId',
    keyDescription: 'companyId',
    description: 'Company profiles; the latest event per company wins.',
    events: ['company.upserted'],
    compacted: false,
    restricted: false,
    partitionsEnv: 'KAFKA_PARTITIONS_COMPANIES',
    defaultPartitions: 3,
  },
  {
    name: Topics.postings,
    keyField: 'postingId',
    keyDescription: 'postingId',
    description: 'Posting lifecycle as full snapshots with a monotonically increasing revision.',
    events: ['posting.published', 'posting.updated', 'posting.closed', 'posting.expired'],
    compacted: false,
    restricted: false,
    partitionsEnv: 'KAFKA_PARTITIONS_POSTINGS',
    defaultPartitions: 3,
  },
  {
    name: Topics.hiringTeams,
    keyField: 'postingId',
    keyDescription: 'postingId',
    description: 'Recruiters who receive applicant emails for a posting (restricted: contains PII).',
    events: ['hiring-team.updated'],
    compacted: true,
    restricted: true,
    partitionsEnv: 'KAFKA_PARTITIONS_HIRING_TEAMS',
    defaultPartitions: 3,
  },
  {
    name: Topics.engagement,
    keyField: 'postingId',
    keyDescription: 'postingId',
    description: 'Views, apply clicks, scraps and mock applications; viewer ids are pseudonymous.',
    events: ['posting.viewed', 'posting.apply-clicked', 'posting.scrapped', 'posting.unscrapped', 'posting.mock-applied'],
    compacted: false,
    restricted: false,
    partitionsEnv: 'KAFKA_PARTITIONS_ENGAGEMENT',
    defaultPartitions: 6,
  },
  {
    name: Topics.contributions,
    keyField: 'companyId',
    keyDescription: 'companyId',
    description: 'Salary reports, reviews and interview reports.',
    events: ['salary.reported', 'review.submitted', 'interview.reported'],
    compacted: false,
    restricted: false,
    partitionsEnv: 'KAFKA_PARTITIONS_CONTRIBUTIONS',
    defaultPartitions: 3,
  },
  {
    name: Topics.applications,
    keyField: 'candidateId',
    keyDescription: 'candidateId',
    description: 'Submitted applications (restricted: contains PII).',
    events: ['application.submitted'],
    compacted: false,
    restricted: true,
    partitionsEnv: 'KAFKA_PARTITIONS_APPLICATIONS',
    defaultPartitions: 3,
  },
  {
    name: Topics.applicationOutcomes,
    keyField: 'candidateId',
    keyDescription: 'candidateId',
    description: 'Accepted or rejected applications with the reason (restricted: contains PII).',
    events: ['application.accepted', 'application.rejected'],
    compacted: false,
    restricted: true,
    partitionsEnv: 'KAFKA_PARTITIONS_APPLICATION_OUTCOMES',
    defaultPartitions: 3,
  },
  {
    name: Topics.postingStats,
    keyField: 'postingId',
    keyDescription: 'postingId',
    description: 'Latest counters of each posting.',
    events: ['posting-stats.updated'],
    compacted: true,
    restricted: false,
    partitionsEnv: 'KAFKA_PARTITIONS_POSTING_STATS',
    defaultPartitions: 3,
  },
  {
    name: Topics.companyInsights,
    keyField: 'companyId',
    keyDescription: 'companyId',
    description: 'Latest salary, review, interview summaries and trending score of each company.',
    events: ['company-insights.updated'],
    compacted: true,
    restricted: false,
    partitionsEnv: 'KAFKA_PARTITIONS_COMPANY_INSIGHTS',
    defaultPartitions: 3,
  },
];

const topicByEvent = new Map<EventType, TopicSpec>();
for (const topic of TopicCatalog) for (const type of topic.events) topicByEvent.set(type, topic);

export function topicOf(type: EventType): TopicSpec {
  const topic = topicByEvent.get(type);
  if (!topic) throw new Error(`event type ${type} has no topic in the catalog`);
  return topic;
}

export function topicSpec(name: string): TopicSpec | undefined {
  return TopicCatalog.find((t) => t.name === name);
}

export function isEventType(value: string): value is EventType {
  return Object.prototype.hasOwnProperty.call(EventSchemas, value);
}

/** Dead letters of a consumer group go to their own topic, named after the group. */
export const dlqTopic = (groupId: string) => `dlq.${groupId}`;

/**
 * Dead letters an operator re-drives go to a topic only their own group reads (not back to the
 * origin topic, which every other group would consume a second time).
 */
export const redriveTopic = (groupId: string) => `redrive.${groupId}`;

/** Headers a dead letter carries: why it failed and where it came from. */
export const DeadLetterHeaders = {
  error: 'dlq-error',
  originTopic: 'dlq-origin-topic',
  originPartition: 'dlq-origin-partition',
  originOffset: 'dlq-origin-offset',
  consumerGroup: 'dlq-consumer-group',
  attempts: 'dlq-attempts',
  failedAt: 'dlq-failed-at',
  redrivenAt: 'dlq-redriven-at',
} as const;
