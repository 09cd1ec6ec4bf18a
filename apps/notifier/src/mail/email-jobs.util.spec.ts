import { createEvent } from '@jobstream/contracts';
import { digestsByRecruiter, emailJobsForOutcome, jobIdOf, utcDay } from './email-jobs.util';

const applicant = { name: 'Ada', email: 'ada@example.com', resumeUrl: 'https://cv.example/ada.pdf' };
const outcome = { applicationId: 'a1', candidateId: 'c1', postingId: 'p1', postingTitle: 'SRE', applicant, decidedAt: '2025-01-01T10:00:00.000Z' };

describe('email jobs', () => {
  it('turns an acceptance into a recruiter and a candidate email with ids derived from the event id', () => {
    const event = createEvent('application.accepted', outcome, 'test');
    const jobs = emailJobsForOutcome(event);
    expect(jobs.map((j) => [j.jobId, j.data.kind])).toEqual([
      [`${event.id}-recruiters`, 'new-applicant'],
      [`${event.id}-candidate`, 'application-confirmed'],
    ]);
    expect(emailJobsForOutcome(event)).toEqual(jobs); // deterministic: redelivery enqueues the same ids
  });

  it('turns a rejection into one candidate email with the reason', () => {
    const event = createEvent('application.rejected', { ...outcome, reason: 'LIMIT_REACHED' }, 'test');
    const [job, ...rest] = emailJobsForOutcome(event);
    expect(rest).toEqual([]);
    expect(job.data).toMatchObject({ kind: 'application-rejected', reason: 'LIMIT_REACHED', candidate: { name: 'Ada', email: 'ada@example.com' } });
  });

  it('keeps job ids free of colons and days in UTC', () => {
    expect(jobIdOf('a:b', 'c')).toBe('a_b-c');
    expect(utcDay('2025-01-01T23:30:00-02:00')).toBe('2025-01-02');
  });

  it('groups digests per recruiter across postings, case-insensitively', () => {
    const jobs = digestsByRecruiter(
      '2025-01-01',
      [
        { postingId: 'p1', postingTitle: 'SRE', members: [{ name: 'Rita', email: 'rita@x.io' }, { name: 'Sam', email: 'sam@x.io' }] },
        { postingId: 'p2', postingTitle: 'Backend', members: [{ name: 'Rita', email: 'RITA@x.io' }] },
      ],
      new Map([['p1', { views: 5, applyClicks: 2, applicants: 1 }]]),
    );
    expect(jobs).toHaveLength(2);
    const rita = jobs.find((j) => j.data.kind === 'recruiter-digest' && j.data.recruiter.name === 'Rita')!;
    expect(rita.data).toMatchObject({ rows: [{ postingId: 'p2', views: 0 }, { postingId: 'p1', views: 5, applyClicks: 2, applicants: 1 }] });
    expect(rita.jobId).toMatch(/^digest-2025-01-01-[0-9a-f]{24}$/);
  });
});
