import { renderEmail, postingUrlFrom, escapeHtml } from './email-render.util';
import type { EmailJob } from './email.job';

const ctx = { postingUrl: postingUrlFrom('https://jobs.example/p/{postingId}') };
const applicant = {
  name: 'Ada <Lovelace>',
  email: 'ada@example.com',
  phone: '+44 20 7946 0000',
  resumeUrl: 'https://cv.example/ada.pdf',
  coverNote: 'I like engines & "analytics".',
};

describe('renderEmail', () => {
  it('tells recruiters about a new applicant: name, contact, resume, cover note, posting title and link', () => {
    const job: EmailJob = { kind: 'new-applicant', eventId: 'e', applicationId: 'a1', postingId: 'p-1', postingTitle: 'Backend Engineer', applicant };
    const mail = renderEmail(job, ctx);
    expect(mail.subject).toBe('New applicant for Backend Engineer: Ada <Lovelace>');
    for (const part of ['Ada <Lovelace>', 'ada@example.com', '+44 20 7946 0000', 'https://cv.example/ada.pdf', 'I like engines & "analytics".', 'https://jobs.example/p/p-1']) {
      expect(mail.text).toContain(part);
    }
    expect(mail.html).toContain('Ada &lt;Lovelace&gt;');
    expect(mail.html).not.toContain('<Lovelace>');
    expect(mail.html).toContain('<a href="https://cv.example/ada.pdf">');
    expect(mail.html).toContain('I like engines &amp; &quot;analytics&quot;.');
  });

  it('confirms an accepted application to the candidate', () => {
    const mail = renderEmail({ kind: 'application-confirmed', eventId: 'e', applicationId: 'a1', postingId: 'p-1', postingTitle: 'SRE', candidate: { name: 'Ada', email: 'ada@example.com' } }, ctx);
    expect(mail.subject).toBe('Your application to SRE was received');
    expect(mail.text).toContain('Hello Ada');
    expect(mail.html).toContain('https://jobs.example/p/p-1');
  });

  it('gives the rejection reason', () => {
    const base = { kind: 'application-rejected' as const, eventId: 'e', applicationId: 'a1', postingId: 'p-1', postingTitle: 'SRE', candidate: { name: 'Ada', email: 'ada@example.com' } };
    const limit = renderEmail({ ...base, reason: 'LIMIT_REACHED' }, ctx);
    expect(limit.subject).toBe('Your application to SRE could not be accepted');
    expect(limit.text).toContain('application limit');
    expect(limit.text).toContain('LIMIT_REACHED');
    const closed = renderEmail({ ...base, reason: 'POSTING_CLOSED', detail: 'The posting is closed.' }, ctx);
    expect(closed.text).toContain('no longer accepting applications');
    expect(closed.html).toContain('The posting is closed.');
  });

  it('renders the digest and the expiry reminder', () => {
    const digest = renderEmail(
      { kind: 'recruiter-digest', date: '2025-01-02', recruiter: { name: 'Rita', email: 'r@x.io' }, rows: [{ postingId: 'p', postingTitle: 'SRE', views: 10, applyClicks: 3, applicants: 2 }] },
      ctx,
    );
    expect(digest.subject).toBe('Your postings on 2025-01-02');
    expect(digest.text).toMatch(/Views: 10[\s\S]*Apply clicks: 3[\s\S]*Applicants: 2/);
    const reminder = renderEmail({ kind: 'expiry-reminder', postingId: 'p', postingTitle: 'SRE', expiresAt: '2025-02-01T00:00:00.000Z' }, ctx);
    expect(reminder.subject).toBe('SRE expires on 2025-02-01');
  });

  it('never turns a non-http resume link into an anchor', () => {
    const mail = renderEmail(
      { kind: 'new-applicant', eventId: 'e', applicationId: 'a', postingId: 'p', applicant: { ...applicant, resumeUrl: 'javascript:alert(1)' } },
      ctx,
    );
    expect(mail.html).not.toContain('href="javascript');
    expect(escapeHtml('<&>')).toBe('&lt;&amp;&gt;');
  });

  it('never shows a raw posting id where a title belongs, whatever the outcome', () => {
    const candidate = { name: 'Ada', email: 'ada@example.com' };
    const mails = [
      renderEmail({ kind: 'new-applicant', eventId: 'e', applicationId: 'a1', postingId: 'p-raw-id', applicant }, ctx),
      renderEmail({ kind: 'application-confirmed', eventId: 'e', applicationId: 'a1', postingId: 'p-raw-id', candidate }, ctx),
      renderEmail({ kind: 'application-rejected', eventId: 'e', applicationId: 'a1', postingId: 'p-raw-id', candidate, reason: 'POSTING_NOT_FOUND' }, ctx),
    ];
    expect(mails.map((m) => m.subject)).toEqual([`New applicant for one of your postings: ${applicant.name}`, 'Your application was received', 'Your application could not be accepted']);
    for (const m of mails) {
      expect(m.subject).not.toContain('p-raw-id');
      // The id only appears inside the link to the posting page, never as its name.
      expect(m.text.replace(/https:\/\/jobs\.example\/p\/p-raw-id/g, '')).not.toContain('p-raw-id');
    }
  });
});
