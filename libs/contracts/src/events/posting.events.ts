import { Type, type Static } from '@sinclair/typebox';
import { Currency, DateTime, Email, Id, Pay, Text, TextList, Url } from '../common.schema';
import type { ValidationIssue } from '../validation';

export const PostingStatus = Type.Union(
  [Type.Literal('draft'), Type.Literal('published'), Type.Literal('closed'), Type.Literal('expired')],
  { description: 'Lifecycle state; only published postings are searchable' },
);
export type PostingStatus = Static<typeof PostingStatus>;

export const WorkplaceType = Type.Union(
  [Type.Literal('on-site'), Type.Literal('hybrid'), Type.Literal('remote')],
  { description: 'Where the work happens' },
);

export const EmploymentType = Type.Union(
  [
    Type.Literal('full-time'),
    Type.Literal('part-time'),
    Type.Literal('contract'),
    Type.Literal('internship'),
    Type.Literal('temporary'),
  ],
  { description: 'Kind of employment' },
);

export const PayRange = Type.Object(
  {
    min: Pay('Lowest pay of the range'),
    max: Pay('Highest pay of the range'),
    currency: Currency,
    interval: Type.Union(
      [Type.Literal('hour'), Type.Literal('day'), Type.Literal('week'), Type.Literal('month'), Type.Literal('year')],
      { description: 'Pay period the amounts refer to' },
    ),
  },
  {
    additionalProperties: false,
    description: 'Optional advertised pay range (max at least min). Amounts are at most 1e12 since 2026-12-02; jobstream\'s consumers read an older event with more as one without a pay range.',
  },
);

/**
 * What the schema can't say of a posting's content: its pay range runs upwards. Ingest checks it
 * where content enters; consumers show another producer's range as it is.
 */
export function postingContentIssues(content: { payRange?: { min: number; max: number } }): ValidationIssue[] {
  const pay = content.payRange;
  return pay && pay.max < pay.min ? [{ path: '/payRange/max', message: `must be at least min (${pay.min})` }] : [];
}

/** Posting fields a recruiter or ATS sends, shared by HTTP bodies and events. */
export const PostingContentFields = {
  title: Text(300, 'Job title'),
  team: Type.Optional(Text(200, 'Team name')),
  location: Text(200, 'City or region'),
  workplaceType: WorkplaceType,
  employmentType: EmploymentType,
  benefits: Type.Optional(TextList(50, 200, 'Benefits as shown on the page')),
  perkTags: Type.Optional(TextList(30, 50, 'Short perk tags')),
  requiredSkills: Type.Optional(TextList(50, 80, 'Required skills, searchable')),
  description: Text(20000, 'What the team does'),
  responsibilities: Type.Optional(TextList(50, 2000)),
  minimumQualifications: Type.Optional(TextList(50, 2000)),
  preferredQualifications: Type.Optional(TextList(50, 2000)),
  additionalInformation: Type.Optional(Text(5000)),
  minimumCommitmentMonths: Type.Optional(Type.Integer({ minimum: 0, maximum: 120 })),
  applyUrl: Type.Optional(Url('External apply URL, if applications happen elsewhere')),
  payRange: Type.Optional(PayRange),
  expiresAt: Type.Optional(DateTime('When the posting expires and leaves search')),
};

const PostingSnapshotFields = {
  postingId: Id('Posting id (also the Kafka key)'),
  companyId: Id('Owning company'),
  externalId: Id('Id in the publisher\'s ATS, unique per company'),
  revision: Type.Integer({ minimum: 1, description: 'Monotonically increasing per posting; stale revisions are ignored' }),
  status: PostingStatus,
  postedAt: Type.Optional(DateTime('When it was first published')),
  closedAt: Type.Optional(DateTime('When it was closed or expired')),
  ...PostingContentFields,
};

const postingEvent = (type: string, description: string) =>
  Type.Object(PostingSnapshotFields, { $id: type, title: type, description });

export const PostingPublished = postingEvent('posting.published', 'A posting was created or became published (full snapshot).');
export const PostingUpdated = postingEvent('posting.updated', 'A posting changed (full snapshot).');
export const PostingClosed = postingEvent('posting.closed', 'A posting was closed by its company (full snapshot).');
export const PostingExpired = postingEvent('posting.expired', 'A posting passed its expiresAt (full snapshot).');
export type PostingSnapshot = Static<typeof PostingPublished>;

/**
 * Recruiters' names and emails are PII: they travel on the restricted `hiring-teams` topic,
 * never on the public `postings` topic.
 */
export const HiringTeamMember = Type.Object(
  { name: Text(200), email: Email('Recruiter email that receives applicant notifications') },
  { additionalProperties: false },
);

export const HiringTeamUpdated = Type.Object(
  {
    postingId: Id('Posting id (also the Kafka key)'),
    companyId: Id('Owning company'),
    revision: Type.Integer({ minimum: 1, description: 'Same revision as the posting event it accompanies' }),
    postingTitle: Text(300),
    members: Type.Array(HiringTeamMember, { maxItems: 20 }),
  },
  { $id: 'hiring-team.updated', title: 'hiring-team.updated', description: 'Who receives applicant emails for a posting.' },
);
export type HiringTeamUpdated = Static<typeof HiringTeamUpdated>;
