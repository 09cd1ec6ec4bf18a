import { createEvent, derivedUuidV7, type Applicant, type EventEnvelope } from '@jobstream/contracts';
import type { RejectionReason } from './application-decision.util';

/**
 * The outcome event id is a UUIDv7 derived from the application (its submission time, and a hash
 * of its id), so re-publishing an outcome after a crash, or deciding it again in a replay, yields
 * the very same event id and every consumer's dedupe by event id absorbs it. NEVER change the name
 * scheme: downstream dedupes on these ids. Outcomes stored before this scheme keep their stored id.
 */
export function outcomeEventId(applicationId: string, submittedAt: string): string {
  return derivedUuidV7(`application-outcome:${applicationId}`, new Date(submittedAt));
}

export interface DecidedApplication {
  _id: string;
  candidateId: string;
  postingId: string;
  companyId?: string;
  postingTitle?: string;
  companyName?: string;
  status: 'accepted' | 'rejected';
  reason?: RejectionReason;
  detail?: string;
  applicant: Applicant;
  decidedAt: string;
  outcomeEventId: string;
}

export type OutcomeEvent = EventEnvelope<'application.accepted'> | EventEnvelope<'application.rejected'>;

/** Builds the outcome event of a stored decision; the same record always yields the same event. */
export function outcomeEvent(app: DecidedApplication): OutcomeEvent {
  const base = {
    applicationId: app._id,
    candidateId: app.candidateId,
    postingId: app.postingId,
    ...(app.companyId ? { companyId: app.companyId } : {}),
    ...(app.postingTitle ? { postingTitle: app.postingTitle } : {}),
    ...(app.companyName ? { companyName: app.companyName } : {}),
    applicant: app.applicant,
    decidedAt: app.decidedAt,
  };
  const options = { id: app.outcomeEventId, occurredAt: new Date(app.decidedAt) };
  if (app.status === 'accepted') return createEvent('application.accepted', base, 'listings', options);
  return createEvent(
    'application.rejected',
    { ...base, reason: app.reason ?? 'POSTING_NOT_FOUND', ...(app.detail ? { detail: app.detail } : {}) },
    'listings',
    options,
  );
}
