import type { PostingRecord } from '../postings/posting-registry.repository';
import type { PostingState } from '../postings/posting-lifecycle.util';
import { applicationGate } from './application-gate.util';

const now = new Date('2026-06-01T00:00:00Z');
const state = (over: Partial<PostingState> = {}): PostingState => ({
  postingId: 'p1',
  companyId: 'tiktok',
  externalId: 'x1',
  revision: 2,
  status: 'published',
  content: { title: 'SRE', location: 'Singapore', workplaceType: 'on-site', employmentType: 'full-time', description: 'd' },
  hiringTeam: [],
  ...over,
});
const record = (s: PostingState | undefined, revision = s?.revision ?? 0): PostingRecord => ({ _id: 'p1', companyId: 'tiktok', revision, ...(s ? { state: s } : {}) });

describe('application gate (what ingest answers at once)', () => {
  it('opens for a committed, published, unexpired posting and names its revision, company and title', () => {
    expect(applicationGate('p1', record(state()), now)).toEqual({ open: true, posting: { revision: 2, companyId: 'tiktok', title: 'SRE' } });
    const future = state({ content: { ...state().content, expiresAt: '2026-07-01T00:00:00Z' } });
    expect(applicationGate('p1', record(future), now)).toMatchObject({ open: true });
  });

  it('is 404 for a posting never committed (unknown, creation still pending) or a draft', () => {
    expect(applicationGate('p1', null, now)).toEqual({ open: false, status: 404, message: 'No published posting p1' });
    expect(applicationGate('p1', record(undefined, 0), now)).toMatchObject({ open: false, status: 404 });
    expect(applicationGate('p1', record(state({ status: 'draft' })), now)).toMatchObject({ open: false, status: 404 });
  });

  it('is 409 for a closed or expired posting, and for one past its expiresAt the sweeper has not expired yet', () => {
    expect(applicationGate('p1', record(state({ status: 'closed' })), now)).toMatchObject({ open: false, status: 409, message: 'Posting p1 is closed and takes no applications' });
    expect(applicationGate('p1', record(state({ status: 'expired' })), now)).toMatchObject({ open: false, status: 409 });
    const past = state({ content: { ...state().content, expiresAt: '2026-05-31T23:59:59Z' } });
    expect(applicationGate('p1', record(past), now)).toMatchObject({ open: false, status: 409 });
  });
});
