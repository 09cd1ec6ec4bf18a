import type { ApplicationRecord } from './applications.repository';
import { statusEntriesOf, statusEntryOf } from './application-statuses';

const record: ApplicationRecord = {
  _id: 'a1',
  candidateId: 'c1',
  postingId: 'p1',
  basis: 'registry',
  status: 'rejected',
  reason: 'LIMIT_REACHED',
  detail: 'at most 2',
  receiptTokenHash: 'h1',
  applicant: { name: 'Casey', email: 'casey@example.test', resumeUrl: 'https://cv.example/casey.pdf' },
  submittedAt: '2026-12-01T00:00:00.000Z',
  decidedAt: '2026-12-01T00:00:01.000Z',
  outcomeEventId: 'o1',
  published: true,
  aliasIds: ['a2'],
  aliases: [{ applicationId: 'a2', receiptTokenHash: 'h2' }],
};

describe('application status entries', () => {
  it("answers the record's own id with its token hash, and an alias with the alias's", () => {
    expect(statusEntryOf(record, 'a1')).toEqual({ applicationId: 'a1', postingId: 'p1', status: 'rejected', reason: 'LIMIT_REACHED', detail: 'at most 2', decidedAt: '2026-12-01T00:00:01.000Z', receiptTokenHash: 'h1' });
    expect(statusEntryOf(record, 'a2')?.receiptTokenHash).toBe('h2');
  });

  it('takes a just-added alias from the submission, and an unknown id answers nothing', () => {
    expect(statusEntryOf(record, 'a3', 'h3')?.receiptTokenHash).toBe('h3');
    expect(statusEntryOf(record, 'a3')).toBeUndefined();
    expect(statusEntryOf(record, 'a2', 'other')?.receiptTokenHash).toBe('h2'); // the stored alias wins
  });

  it('lists an entry for the record and each alias', () => {
    expect(statusEntriesOf(record).map((e) => [e.applicationId, e.receiptTokenHash])).toEqual([
      ['a1', 'h1'],
      ['a2', 'h2'],
    ]);
  });
});
