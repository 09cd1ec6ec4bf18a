import { createEvent, type PostingSnapshot } from '@jobstream/contracts';
import { companyLines, itemOutcome, postingFields, postingLines, statsLines } from './search.document';

const snapshot = (revision: number, extra: Partial<PostingSnapshot> = {}): PostingSnapshot => ({
  postingId: 'p1',
  companyId: 'c1',
  externalId: 'x1',
  revision,
  status: 'published',
  postedAt: '2026-01-01T00:00:00.000Z',
  title: 'Engineer',
  location: 'São Paulo',
  workplaceType: 'remote',
  employmentType: 'full-time',
  description: 'Build things',
  requiredSkills: ['Node.js'],
  ...extra,
});

describe('search documents', () => {
  it('carries every posting field, null when absent, so a later revision also clears one', () => {
    const fields = postingFields(snapshot(2), '2026-01-02T00:00:00.000Z');
    expect(fields).toMatchObject({ kind: 'posting', revision: 2, locationKey: 'sao paulo', skillKeys: ['node js'], payMin: null, payMax: null });
  });

  it('writes one versioned scripted upsert per posting: the latest revision of the batch', () => {
    const events = [2, 3, 1].map((r) => createEvent('posting.updated', snapshot(r), 'test'));
    const { ids, lines } = postingLines('idx', events, new Map([['c1', { name: 'Acme', version: 'e1' }]]));
    expect(ids).toEqual(['p1']);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toEqual({ update: { _index: 'idx', _id: 'p1', retry_on_conflict: 10 } });
    expect(lines[1]).toMatchObject({ scripted_upsert: true, upsert: {}, script: { params: { doc: { revision: 3 }, company: { name: 'Acme', version: 'e1' } } } });
  });

  it('keeps the newest counters and company profile of a batch', () => {
    const stat = (at: string, views: number) =>
      createEvent('posting-stats.updated', { postingId: 'p1', totalViews: views, uniqueViewers: 1, applyClicks: 0, scraps: 0, mockApplicants: 0, trendingScore: views, daily: [{ date: '2026-01-01', views, applyClicks: 0, scraps: 0, mockApplicants: 0 }], updatedAt: at }, 'test');
    const lines = statsLines('idx', [stat('2026-01-02T00:00:00.000Z', 5), stat('2026-01-01T00:00:00.000Z', 9)]);
    expect(lines[1]).toMatchObject({ script: { params: { trendingScore: 5, at: Date.parse('2026-01-02T00:00:00.000Z') } } });
    // The totals only: the days are analytics' to serve.
    expect((lines[1] as { script: { params: { stats: object } } }).script.params.stats).toEqual({ totalViews: 5, uniqueViewers: 1, applyClicks: 0, scraps: 0, mockApplicants: 0, trendingScore: 5, updatedAt: '2026-01-02T00:00:00.000Z' });
    const a = createEvent('company.upserted', { companyId: 'c1', name: 'Old' }, 'test');
    const b = createEvent('company.upserted', { companyId: 'c1', name: 'New' }, 'test');
    const { names } = companyLines('idx', [b, a].sort((x, y) => (x.id < y.id ? 1 : -1)));
    expect(names.get('c1')).toEqual({ name: 'New', version: b.id });
  });

  it('tells refused documents (dead letter) from load shedding and conflicts (retry)', () => {
    expect(itemOutcome({ status: 200 })).toBe('ok');
    expect(itemOutcome({ status: 400, error: { type: 'mapper_parsing_exception' } })).toBe('refused');
    expect(itemOutcome({ status: 429 })).toBe('retry');
    expect(itemOutcome({ status: 409 })).toBe('retry');
    expect(itemOutcome({ status: 404 })).toBe('missing');
  });
});
