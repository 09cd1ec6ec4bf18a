import { Type, type TObject, type TSchema } from '@sinclair/typebox';
import {
  ApplicationPolicy,
  CompanyGroup,
  DateTime,
  Id,
  InterviewSummary,
  NonNegativeInt,
  Nullable,
  PostingPublished,
  PostingStatsUpdated,
  RejectionReason,
  ReviewSummary,
  SalarySummary,
  openSchema,
} from '@jobstream/contracts';
import { SUMMARY_FIELDS } from './search/search.query';

/**
 * Bodies of listings' 2xx answers, for the OpenAPI document. They reuse the event schemas the
 * projections store, opened like the published contract: a snapshot may carry fields a newer
 * producer added, and listings passes them through.
 */
const open = <T extends TSchema>(schema: T): T => {
  const copy = openSchema(JSON.parse(JSON.stringify(schema)) as T);
  delete (copy as { $id?: string }).$id;
  delete (copy as { title?: string }).title;
  return copy;
};

const Snapshot = open(PostingPublished);
const snapshotProperties = (PostingPublished as TObject).properties;

/** A search hit's counters: the totals, not the 30 days (analytics serves those). */
const Stats = open(Type.Omit(PostingStatsUpdated, ['postingId', 'companyId', 'daily']));

/** A search hit carries the summary of its posting (SUMMARY_FIELDS); the posting's page has the rest. */
export const SearchItemSchema = open(
  Type.Object({
    ...Object.fromEntries(SUMMARY_FIELDS.map((f) => [f, snapshotProperties[f]])),
    companyName: Type.Optional(Type.String()),
    stats: Type.Optional(Stats),
    highlights: Type.Optional(Type.Record(Type.String(), Type.Array(Type.String()), { description: 'Field → fragments of HTML-escaped text with <em> around the matched words (safe to use as HTML)' })),
  }),
);

const FacetCount = Type.Object({ value: Type.String(), count: NonNegativeInt('Matching open postings'), name: Type.Optional(Type.String({ description: 'Display name (company facet)' })) });

export const SearchPageSchema = Type.Object({
  items: Type.Array(SearchItemSchema),
  nextCursor: Nullable(Type.String({ description: 'Pass as cursor for the next page; null on the last' })),
  total: NonNegativeInt('Every match, not just this page'),
  facets: Type.Record(Type.String(), Type.Array(FacetCount), { description: 'location, workplaceType, employmentType, company, skills' }),
});

export const SimilarSchema = Type.Object({ items: Type.Array(SearchItemSchema) });

const Profile = {
  companyId: Id('Company id'),
  name: Type.String(),
  description: Type.Optional(Type.String()),
  stage: Type.Optional(Type.String()),
  employeeRange: Type.Optional(Type.String()),
  headquarters: Type.Optional(Type.String()),
  valuationUsd: Type.Optional(Type.Number()),
  group: Type.Optional(open(CompanyGroup)),
  applicationPolicy: Type.Optional(open(ApplicationPolicy)),
};

export const PostingPageSchema = Type.Object({
  posting: Snapshot,
  company: Nullable(Type.Object({ ...Profile, trendingScore: Type.Number({ minimum: 0 }) }, { description: 'Null until the company profile has arrived' })),
  counters: Type.Object({
    totalViews: NonNegativeInt('All views'),
    uniqueViewers: NonNegativeInt('Distinct viewers (estimate)'),
    applyClicks: NonNegativeInt('Apply clicks'),
    mockApplicants: NonNegativeInt('Distinct mock applicants'),
    scraps: NonNegativeInt('Current bookmarks'),
    updatedAt: Nullable(Type.String({ format: 'date-time' })),
  }),
  reviews: open(ReviewSummary),
  salaries: open(SalarySummary),
  interviews: open(InterviewSummary),
});

export const JobPostingJsonLd = Type.Object(
  { '@context': Type.String(), '@type': Type.Literal('JobPosting'), title: Type.String(), datePosted: Type.Optional(Type.String()) },
  { description: 'schema.org JobPosting; see https://schema.org/JobPosting for the other members' },
);

export const CompanyPageSchema = Type.Object({
  ...Profile,
  updatedAt: Type.Optional(Type.String({ format: 'date-time' })),
  insights: Type.Object({
    salaries: open(SalarySummary),
    reviews: open(ReviewSummary),
    interviews: open(InterviewSummary),
    trendingScore: Type.Number({ minimum: 0 }),
    updatedAt: DateTime('When analytics computed them (the epoch until it has)'),
  }),
  openPostings: Type.Array(Snapshot, { maxItems: 100 }),
});

export const ApplicationStatusSchema = Type.Object({
  applicationId: Id('Application id'),
  postingId: Id('Posting applied to'),
  status: Type.Union([Type.Literal('pending'), Type.Literal('accepted'), Type.Literal('rejected')]),
  reason: Type.Optional(RejectionReason),
  detail: Type.Optional(Type.String()),
  decidedAt: Type.Optional(Type.String({ format: 'date-time' })),
});
