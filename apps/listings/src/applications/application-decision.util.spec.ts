import { decide, factsFromEvent, limitScopeOf } from './application-decision.util';
import { outcomeEvent, outcomeEventId } from './outcome-event.util';
import { validate, EventSchemas, EnvelopeSchema } from '@jobstream/contracts';

const posting = { postingId: 'p1', companyId: 'tiktok', status: 'published' as const, title: 'SRE' };
const groupPolicy = { maxApplicationsPerCandidate: 2, scope: 'group' as const, consideredInOrderApplied: true };

describe('application decision', () => {
  it('counts a group policy by group id, and a company policy (or a group policy without a group) by company', () => {
    expect(limitScopeOf({ companyId: 'tiktok', group: { id: 'g', name: 'G' }, applicationPolicy: groupPolicy })).toEqual({ field: 'groupId', value: 'g', max: 2 });
    expect(limitScopeOf({ companyId: 'tiktok', applicationPolicy: groupPolicy })).toEqual({ field: 'companyId', value: 'tiktok', max: 2 });
    expect(limitScopeOf({ companyId: 'tiktok', group: { id: 'g', name: 'G' }, applicationPolicy: { ...groupPolicy, scope: 'company' } })).toEqual({
      field: 'companyId',
      value: 'tiktok',
      max: 2,
    });
    expect(limitScopeOf({ companyId: 'tiktok' })).toBeUndefined();
    expect(limitScopeOf(null)).toBeUndefined();
  });

  it('accepts the first N in order applied and rejects later ones with LIMIT_REACHED', () => {
    const scope = { field: 'groupId' as const, value: 'g', max: 2 };
    expect(decide(posting, scope, 0)).toEqual({ status: 'accepted' });
    expect(decide(posting, scope, 1)).toEqual({ status: 'accepted' });
    expect(decide(posting, scope, 2)).toMatchObject({ status: 'rejected', reason: 'LIMIT_REACHED' });
    expect(decide(posting, undefined, 99)).toEqual({ status: 'accepted' });
  });

  it('rejects unknown and not-published postings before counting', () => {
    expect(decide(null, undefined, 0)).toMatchObject({ status: 'rejected', reason: 'POSTING_NOT_FOUND' });
    for (const status of ['closed', 'expired', 'draft'] as const) {
      expect(decide({ ...posting, status }, { field: 'groupId', value: 'g', max: 2 }, 5)).toMatchObject({ status: 'rejected', reason: 'POSTING_CLOSED' });
    }
  });

  it('derives the outcome event id as a UUIDv7 of the submission time and application id, and builds valid, identical events on re-publish', () => {
    const submittedAt = '2025-01-01T00:00:00.123Z';
    const id = outcomeEventId('app-1', submittedAt);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // The first 48 bits are the submission time in ms, as in every UUIDv7.
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(Date.parse(submittedAt));
    expect(outcomeEventId('app-1', submittedAt)).toBe(id);
    expect(outcomeEventId('app-2', submittedAt)).not.toBe(id);
    expect(outcomeEventId('app-1', '2025-01-01T00:00:00.124Z') > id).toBe(true);
    const record = {
      _id: 'app-1',
      candidateId: 'c1',
      postingId: 'p1',
      companyId: 'tiktok',
      postingTitle: 'SRE',
      status: 'rejected' as const,
      reason: 'LIMIT_REACHED' as const,
      detail: 'limit',
      applicant: { name: 'Ada', email: 'ada@example.com', resumeUrl: 'https://cv.example/a.pdf' },
      decidedAt: '2025-01-01T00:00:00.000Z',
      outcomeEventId: id,
    };
    const event = outcomeEvent(record);
    expect(outcomeEvent(record)).toEqual(event);
    expect(event).toMatchObject({ id, type: 'application.rejected', key: 'c1', occurredAt: record.decidedAt });
    expect(validate(EnvelopeSchema, event).ok).toBe(true);
    expect(validate(EventSchemas['application.rejected'], event.data).ok).toBe(true);
  });

  it('decides on the facts the event carries from the registry, never looking anything up', () => {
    const base = {
      applicationId: 'a1',
      candidateId: 'c1',
      postingId: 'p1',
      applicant: { name: 'Ada', email: 'ada@example.com', resumeUrl: 'https://cv.example/a.pdf' },
      receiptTokenHash: 'a'.repeat(64),
      submittedAt: '2025-01-01T00:00:00.000Z',
    };
    expect(factsFromEvent(base)).toBeUndefined();
    const company = { version: '0190a000-0000-7000-8000-000000000000', name: 'TikTok', group: { id: 'g', name: 'G' }, applicationPolicy: groupPolicy };
    const facts = factsFromEvent({ ...base, posting: { revision: 3, companyId: 'tiktok', title: 'SRE' }, company });
    expect(facts).toEqual({
      basis: 'registry',
      posting: { postingId: 'p1', companyId: 'tiktok', status: 'published', title: 'SRE' },
      company: { companyId: 'tiktok', name: 'TikTok', group: { id: 'g', name: 'G' }, applicationPolicy: groupPolicy },
      postingRevision: 3,
      companyVersion: company.version,
    });
    expect(limitScopeOf(facts!.company)).toEqual({ field: 'groupId', value: 'g', max: 2 });
    // A company ingest never saw: no policy, so no limit; the posting is still the one applied to.
    const unknownCompany = factsFromEvent({ ...base, posting: { revision: 1, companyId: 'x', title: 'SRE' } })!;
    expect(unknownCompany.company).toBeNull();
    expect(decide(unknownCompany.posting, limitScopeOf(unknownCompany.company), 7)).toEqual({ status: 'accepted' });
  });
});
