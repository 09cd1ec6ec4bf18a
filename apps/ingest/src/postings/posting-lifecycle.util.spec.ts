import { canonical, decide, toSnapshot, type PostingCommand, type PostingContent, type PostingState } from './posting-lifecycle.util';

const content: PostingContent = { title: 'Backend Engineer', location: 'Singapore', workplaceType: 'on-site', employmentType: 'full-time', description: 'Build things' };
const now = new Date('2026-11-01T00:00:00Z');
const create = (status: 'draft' | 'published' = 'published', c: PostingContent = content): PostingCommand => ({
  kind: 'create',
  postingId: 'p1',
  companyId: 'c1',
  externalId: 'x1',
  status,
  content: c,
  hiringTeam: [{ name: 'R', email: 'r@x.io' }],
});

function created(status: 'draft' | 'published' = 'published'): PostingState {
  const d = decide(null, create(status), now);
  if (d.outcome !== 'change') throw new Error('expected change');
  return d.next;
}

describe('posting lifecycle', () => {
  it('creates at revision 1, published with postedAt, or as a draft', () => {
    expect(decide(null, create(), now)).toMatchObject({ outcome: 'change', eventType: 'posting.published', next: { revision: 1, status: 'published', postedAt: now.toISOString() } });
    const draft = decide(null, create('draft'), now);
    expect(draft).toMatchObject({ outcome: 'change', eventType: 'posting.updated', next: { status: 'draft' } });
    expect(draft.outcome === 'change' ? draft.next.postedAt : 'not a change').toBeUndefined();
  });

  it('treats an identical repeat (ATS retry) as unchanged, and a changed repeat as an update', () => {
    const state = created();
    expect(decide(state, create(), now).outcome).toBe('unchanged');
    expect(decide(state, create('published', { ...content, title: 'Senior Backend Engineer' }), now)).toMatchObject({
      outcome: 'change',
      eventType: 'posting.updated',
      next: { revision: 2, content: { title: 'Senior Backend Engineer' } },
    });
  });

  it('publishes a draft once and moves revisions forward', () => {
    const d = decide(created('draft'), { kind: 'publish' }, now);
    expect(d).toMatchObject({ outcome: 'change', eventType: 'posting.published', next: { revision: 2, status: 'published' } });
    if (d.outcome === 'change') expect(decide(d.next, { kind: 'publish' }, now).outcome).toBe('unchanged');
  });

  it('merges updates and notices hiring-team changes', () => {
    const d = decide(created(), { kind: 'update', patch: { location: 'Tokyo' }, hiringTeam: [{ name: 'S', email: 's@x.io' }] }, now);
    expect(d).toMatchObject({ outcome: 'change', hiringTeamChanged: true, next: { content: { ...content, location: 'Tokyo' } } });
    expect(decide(created(), { kind: 'update', patch: { location: 'Singapore' } }, now).outcome).toBe('unchanged');
  });

  it('makes closed and expired final: updates and republishing conflict', () => {
    const closed = decide(created(), { kind: 'close' }, now);
    if (closed.outcome !== 'change') throw new Error('expected change');
    expect(closed.next).toMatchObject({ status: 'closed', closedAt: now.toISOString(), revision: 2 });
    expect(decide(closed.next, { kind: 'update', patch: { title: 'x' } }, now)).toMatchObject({ outcome: 'conflict' });
    expect(decide(closed.next, { kind: 'publish' }, now)).toMatchObject({ outcome: 'conflict' });
    expect(decide(closed.next, { kind: 'close' }, now).outcome).toBe('unchanged');
    expect(decide(closed.next, { kind: 'expire' }, now).outcome).toBe('unchanged');
    expect(decide(closed.next, create('published', { ...content, title: 'changed' }), now)).toMatchObject({ outcome: 'conflict' });
  });

  it('expires open postings only', () => {
    expect(decide(created(), { kind: 'expire' }, now)).toMatchObject({ outcome: 'change', eventType: 'posting.expired', next: { status: 'expired' } });
  });

  it('keeps the hiring team out of the public snapshot', () => {
    const snapshot = toSnapshot(created());
    expect(snapshot).not.toHaveProperty('hiringTeam');
    expect(JSON.stringify(snapshot)).not.toContain('r@x.io');
    expect(snapshot).toMatchObject({ postingId: 'p1', revision: 1, title: 'Backend Engineer' });
  });

  it('compares content independent of key order', () => {
    expect(canonical({ b: 1, a: [{ d: 2, c: 3 }] })).toBe(canonical({ a: [{ c: 3, d: 2 }], b: 1 }));
  });
});
