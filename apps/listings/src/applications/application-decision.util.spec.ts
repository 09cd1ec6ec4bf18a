import { decide, limitScopeOf } from './application-decision.util';
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

  it('derives the outcome event id from the application id and builds valid, identical events on re-publish', () => {
    const id = outcomeEventId('app-1');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(outcomeEventId('app-1')).toBe(id);
    expect(outcomeEventId('app-2')).not.toBe(id);
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
});
