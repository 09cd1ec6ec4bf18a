import { createHash } from 'node:crypto';
import type { AnyEvent } from '@jobstream/contracts';
import type { DigestRow, EmailJobSpec, Person } from './email.job';

/**
 * Job ids derive from the event id and the recipient kind, so a redelivered event enqueues
 * nothing new (BullMQ ignores an add whose job id exists). BullMQ forbids ':' in custom ids.
 */
export const jobIdOf = (...parts: string[]) => parts.join('-').replace(/:/g, '_');

/** The emails an application outcome causes: the candidate always, the recruiters when accepted. */
export function emailJobsForOutcome(event: AnyEvent): EmailJobSpec[] {
  if (event.type !== 'application.accepted' && event.type !== 'application.rejected') return [];
  const d = event.data;
  const base = { eventId: event.id, applicationId: d.applicationId, postingId: d.postingId, ...(d.postingTitle ? { postingTitle: d.postingTitle } : {}) };
  const candidate = { name: d.applicant.name, email: d.applicant.email };
  if (event.type === 'application.accepted') {
    return [
      { jobId: jobIdOf(event.id, 'recruiters'), data: { kind: 'new-applicant', ...base, applicant: event.data.applicant } },
      { jobId: jobIdOf(event.id, 'candidate'), data: { kind: 'application-confirmed', ...base, candidate } },
    ];
  }
  return [
    {
      jobId: jobIdOf(event.id, 'candidate'),
      data: { kind: 'application-rejected', ...base, candidate, reason: event.data.reason, ...(event.data.detail ? { detail: event.data.detail } : {}) },
    },
  ];
}

/** The UTC day of an ISO timestamp. */
export const utcDay = (iso: string | Date) => new Date(iso).toISOString().slice(0, 10);

export const recruiterKey = (email: string) => createHash('sha256').update(email.trim().toLowerCase()).digest('hex').slice(0, 24);

export interface TeamForDigest {
  postingId: string;
  postingTitle: string;
  members: Person[];
}

/** Groups postings by recruiter (one digest per address, listing each of their postings once). */
export function digestsByRecruiter(
  date: string,
  teams: readonly TeamForDigest[],
  numbers: ReadonlyMap<string, Omit<DigestRow, 'postingId' | 'postingTitle'>>,
): EmailJobSpec[] {
  const byRecruiter = new Map<string, { recruiter: Person; rows: Map<string, DigestRow> }>();
  for (const team of teams) {
    const n = numbers.get(team.postingId) ?? { views: 0, applyClicks: 0, applicants: 0 };
    for (const member of team.members) {
      const key = recruiterKey(member.email);
      const entry = byRecruiter.get(key) ?? { recruiter: member, rows: new Map<string, DigestRow>() };
      entry.rows.set(team.postingId, { postingId: team.postingId, postingTitle: team.postingTitle, ...n });
      byRecruiter.set(key, entry);
    }
  }
  return [...byRecruiter].map(([key, { recruiter, rows }]) => ({
    jobId: jobIdOf('digest', date, key),
    data: { kind: 'recruiter-digest', date, recruiter, rows: [...rows.values()].sort((a, b) => a.postingTitle.localeCompare(b.postingTitle)) },
  }));
}
