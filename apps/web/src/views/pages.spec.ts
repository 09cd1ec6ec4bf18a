import type { SearchPage } from '../api.client';
import { searchPage, searchUrl, snippet, statusPage, type SearchParams } from './pages';

const params: SearchParams = { q: 'engineer', location: '', workplaceType: '', employmentType: '', skills: '', sort: '', cursor: 'abc' };

describe('search page', () => {
  it('renders facets when the API returns them, each a link that sets the filter and starts from page one', () => {
    const result: SearchPage = { items: [], nextCursor: null, facets: { workplaceType: [{ value: 'remote', count: 12 }], location: [{ value: 'Singapore', count: 3 }] } };
    const out = searchPage(params, result).value;
    expect(out).toContain('<h2 id="facets-title">Refine</h2>');
    expect(out).toContain('href="/jobs?q=engineer&amp;workplaceType=remote"');
    expect(out).toContain('Singapore</a> <span class="muted">(3)</span>');
  });

  it('renders no facet panel when the API has none (the listings search of today)', () => {
    expect(searchPage(params, { items: [], nextCursor: null }).value).not.toContain('Refine');
  });

  it("shows a result's matched words in context, marked, and never the fragment as markup", () => {
    const item = { postingId: 'p1', companyId: 'c1', title: 'Engineer', location: 'Berlin', workplaceType: 'remote' as const, employmentType: 'full-time' as const };
    const highlights = { title: ['<em>Engineer</em>'], description: ['Ship &lt;script&gt;alert(1)&lt;&#x2F;script&gt; as an <em>engineer</em> &amp; more'] };
    const out = searchPage(params, { items: [{ ...item, highlights }], nextCursor: null }).value;
    expect(out).toContain('<p class="muted snippet">Ship &lt;script&gt;alert(1)&lt;/script&gt; as an <mark>engineer</mark> &amp; more</p>');
    expect(snippet({ title: ['<em>Engineer</em>'] })?.value).toBe('<p class="muted snippet"><mark>Engineer</mark></p>');
    expect(snippet(undefined)).toBeNull();
  });

  it('keeps the filters in the next-page link', () => {
    expect(searchUrl({ ...params, cursor: '' }, { cursor: 'next+1' })).toBe('/jobs?q=engineer&cursor=next%2B1');
  });
});

describe('status page', () => {
  it('says why an application over the limit was not accepted', () => {
    const out = statusPage('a1', { applicationId: 'a1', postingId: 'p1', status: 'rejected', reason: 'LIMIT_REACHED' }, false).value;
    expect(out).toContain('Not accepted');
    expect(out).toContain('application limit');
    expect(out).not.toContain('http-equiv="refresh"');
  });

  it('refreshes itself while the decision is pending', () => {
    expect(statusPage('a1', null, false).value).toContain('http-equiv="refresh"');
  });
});
