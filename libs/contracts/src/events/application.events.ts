import { Type, type Static } from '@sinclair/typebox';
import { DateTime, Email, Id, PseudonymousId, Text, Url } from '../common.schema';
import { ApplicationPolicy, CompanyGroup } from './company.events';

export const Applicant = Type.Object(
  {
    name: Text(200),
    email: Email('Normalized candidate email'),
    phone: Type.Optional(Type.String({ pattern: '^\\+?[0-9 ()-]{5,30}$' })),
    resumeUrl: Url('Link to the resume'),
    coverNote: Type.Optional(Text(5000)),
  },
  { additionalProperties: false },
);
export type Applicant = Static<typeof Applicant>;

/** The posting as ingest's registry had committed it when the candidate applied (it was open then). */
export const AppliedPosting = Type.Object(
  {
    revision: Type.Integer({ minimum: 1, description: 'Revision of the posting the candidate applied to' }),
    companyId: Id('Company of the posting'),
    title: Text(300, 'Title of the posting at that revision'),
  },
  { $id: 'AppliedPosting', title: 'AppliedPosting', description: "The posting as ingest's registry had committed it when the candidate applied; it was published and not expired." },
);
export type AppliedPosting = Static<typeof AppliedPosting>;

/** The company profile ingest had last acknowledged when the candidate applied. */
export const AppliedCompany = Type.Object(
  {
    version: Id('Event id of the company.upserted the profile comes from (time-ordered)'),
    name: Text(200, 'Company name'),
    group: Type.Optional(CompanyGroup),
    applicationPolicy: Type.Optional(ApplicationPolicy),
  },
  { $id: 'AppliedCompany', title: 'AppliedCompany', description: 'The company profile (group, application policy) ingest had last acknowledged when the candidate applied.' },
);
export type AppliedCompany = Static<typeof AppliedCompany>;

export const ApplicationSubmitted = Type.Object(
  {
    applicationId: Id('Application id'),
    candidateId: PseudonymousId('Stable pseudonymous candidate id derived from the normalized email (the Kafka key)'),
    postingId: Id('Posting applied to'),
    applicant: Applicant,
    receiptTokenHash: Type.String({ pattern: '^[a-f0-9]{64}$', description: 'SHA-256 of the receipt token handed to the candidate' }),
    submittedAt: DateTime('When ingest accepted the application'),
    posting: Type.Optional(AppliedPosting),
    company: Type.Optional(AppliedCompany),
  },
  { $id: 'application.submitted', title: 'application.submitted', description:
      "A candidate applied (restricted: contains PII). `posting` and `company` are what ingest knew when it accepted the application: listings decides on them and on the candidate's earlier applications, never on how far its projections have got. Events without them (from before schema 1.x added them) are decided on listings' projections." },
);
export type ApplicationSubmitted = Static<typeof ApplicationSubmitted>;

const OutcomeFields = {
  applicationId: Id('Application id'),
  candidateId: PseudonymousId('Candidate id (the Kafka key)'),
  postingId: Id('Posting applied to'),
  companyId: Type.Optional(Id('Company of the posting, when known')),
  postingTitle: Type.Optional(Text(300)),
  companyName: Type.Optional(Text(200, 'Name of the company, when known')),
  applicant: Applicant,
  decidedAt: DateTime('When listings decided'),
};

export const ApplicationAccepted = Type.Object(OutcomeFields, {
  $id: 'application.accepted',
  title: 'application.accepted',
  description: 'The application passed the posting and limit checks and goes to the recruiters.',
});
export type ApplicationAccepted = Static<typeof ApplicationAccepted>;

export const RejectionReason = Type.Union(
  [Type.Literal('LIMIT_REACHED'), Type.Literal('POSTING_CLOSED'), Type.Literal('POSTING_NOT_FOUND')],
  { description: 'Why the application was rejected' },
);
export const ApplicationRejected = Type.Object(
  { ...OutcomeFields, reason: RejectionReason, detail: Type.Optional(Text(1000)) },
  { $id: 'application.rejected', title: 'application.rejected', description: 'The application was rejected, with its reason.' },
);
export type ApplicationRejected = Static<typeof ApplicationRejected>;
