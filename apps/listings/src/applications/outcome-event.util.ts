import { v5 as uuidv5 } from 'uuid';
import { createEvent, type Applicant, type EventEnvelope } from '@jobstream/contracts';
import type { RejectionReason } from './application-decision.util';

/** Fixed namespace of outcome event ids. NEVER change it: downstream dedupes on these ids. */
const OUTCOME_NAMESPACE = '6f1c2a53-4a0e-4b8e-9d7e-2f0a8c5b1e47';

/**
 * The outcome event id is derived from the application id (UUIDv5), so re-publishing an outcome
 * after a crash yields the very same event and every consumer's dedupe by event id absorbs it.
 */
export function outcomeEventId(applicationId: string): string {
  return uuidv5(`application-outcome:${applicationId}`, OUTCOME_NAMESPACE);
}

export interface DecidedApplication {
  _id: string;
  candidateId: string;
  postingId: string;
  companyId?: string;
  postingTitle?: string;
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
