import type { Applicant, EventData } from '@jobstream/contracts';

export type RejectionReason = EventData<'application.rejected'>['reason'];

export interface Person {
  name: string;
  email: string;
}

interface ApplicationJobBase {
  /** The outcome event the email came from (its id is part of the job id). */
  eventId: string;
  applicationId: string;
  postingId: string;
  postingTitle?: string;
}

/** Recruiters of the posting learn of a new accepted applicant (recipients resolved at send time). */
export interface NewApplicantJob extends ApplicationJobBase {
  kind: 'new-applicant';
  applicant: Applicant;
}

export interface ApplicationConfirmedJob extends ApplicationJobBase {
  kind: 'application-confirmed';
  candidate: Person;
}

export interface ApplicationRejectedJob extends ApplicationJobBase {
  kind: 'application-rejected';
  candidate: Person;
  reason: RejectionReason;
  detail?: string;
}

export interface DigestRow {
  postingId: string;
  postingTitle: string;
  views: number;
  applyClicks: number;
  applicants: number;
}

/** One recruiter's daily numbers. */
export interface RecruiterDigestJob {
  kind: 'recruiter-digest';
  date: string;
  recruiter: Person;
  rows: DigestRow[];
}

/** Recruiters of a posting are reminded that it expires soon (recipients resolved at send time). */
export interface ExpiryReminderJob {
  kind: 'expiry-reminder';
  postingId: string;
  postingTitle: string;
  expiresAt: string;
}

/** The operator learns that a webhook subscription was disabled after failing for too long. */
export interface WebhookDisabledJob {
  kind: 'webhook-disabled';
  operator: Person;
  subscriptionId: string;
  url: string;
  reason: string;
  disabledAt: string;
}

/** Data of a job on the email queue, discriminated by kind. */
export type EmailJob = NewApplicantJob | ApplicationConfirmedJob | ApplicationRejectedJob | RecruiterDigestJob | ExpiryReminderJob | WebhookDisabledJob;
export type EmailKind = EmailJob['kind'];

/** Data of a job on the schedule queue (created by job schedulers). */
export type ScheduleJob = { kind: 'digest-tick' } | { kind: 'reminder-tick' };

/** A job to enqueue: its id makes enqueueing idempotent. */
export interface EmailJobSpec {
  jobId: string;
  data: EmailJob;
}
