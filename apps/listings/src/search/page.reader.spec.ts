import type { OpenSearchGateway } from './opensearch.gateway';
import { PageReader } from './page.reader';
import type { SearchIndex } from './search-index';
import { companyDocId } from './search.document';

/** The index as documents by id; each request is recorded. Only the transport is faked: which requests a page costs is the logic under test. */
class DocsGateway {
  readonly docs = new Map<string, Record<string, unknown>>();
  readonly sent: string[] = [];
  /** Ids whose next read fails as the engine being unreachable would. */
  readonly failing = new Set<string>();

  async call(method: string, path: string): Promise<{ status: number; body: unknown }> {
    this.sent.push(`${method} ${path.replace('/postings/_doc/', '')}`);
    const get = /^\/postings\/_doc\/(.+)$/.exec(path);
    if (method !== 'GET' || !get) throw new Error(`unexpected ${method} ${path}`);
    const id = decodeURIComponent(get[1]);
    await Promise.resolve();
    if (this.failing.delete(id)) throw new Error('connect ECONNREFUSED');
    return this.docs.has(id) ? { status: 200, body: { _id: id, found: true, _source: this.docs.get(id) } } : { status: 404, body: { _id: id, found: false } };
  }
}

const posting = (id: string, companyId: string) => ({ kind: 'posting', snapshot: { postingId: id, companyId, title: id, status: 'published' } });
const company = (name: string) => ({ kind: 'company', profile: { name } });
const C1 = encodeURIComponent(companyDocId('c1'));

describe('PageReader.postingWithCompany', () => {
  let gw: DocsGateway;
  let clock: number;
  const reader = (companyPanelMs: number) => new PageReader(gw as unknown as OpenSearchGateway, { alias: 'postings' } as SearchIndex, companyPanelMs);

  beforeEach(() => {
    gw = new DocsGateway();
    clock = 1_000_000;
    jest.spyOn(Date, 'now').mockImplementation(() => clock);
    gw.docs.set('p1', posting('p1', 'c1'));
    gw.docs.set('p2', posting('p2', 'c1'));
    gw.docs.set(companyDocId('c1'), company('Acme'));
  });

  afterEach(() => jest.restoreAllMocks());

  it('reads the posting and its company on every view when panels are not kept', async () => {
    const pages = reader(0);
    const first = await pages.postingWithCompany('p1');
    await pages.postingWithCompany('p1');
    expect(gw.sent).toEqual(['GET p1', `GET ${C1}`, 'GET p1', `GET ${C1}`]);
    expect(first).toEqual({ posting: { snapshot: posting('p1', 'c1').snapshot }, company: { companyId: 'c1', profile: { name: 'Acme' } } });
  });

  it("reuses a company's panel across its postings' pages for the kept time, then reads it again", async () => {
    const pages = reader(1000);
    await pages.postingWithCompany('p1');
    gw.sent.length = 0;
    clock += 999;
    gw.docs.set(companyDocId('c1'), company('Acme Renamed'));
    const second = await pages.postingWithCompany('p2');
    expect(gw.sent).toEqual(['GET p2']);
    expect(second?.company?.profile).toEqual({ name: 'Acme' });
    clock += 1;
    const third = await pages.postingWithCompany('p2');
    expect(gw.sent).toEqual(['GET p2', 'GET p2', `GET ${C1}`]);
    expect(third?.company?.profile).toEqual({ name: 'Acme Renamed' });
  });

  it('reads the company of pages opened at the same time once', async () => {
    const pages = reader(1000);
    const both = await Promise.all([pages.postingWithCompany('p1'), pages.postingWithCompany('p2')]);
    expect(gw.sent.filter((r) => r === `GET ${C1}`)).toHaveLength(1);
    expect(both.map((p) => p?.company?.profile)).toEqual([{ name: 'Acme' }, { name: 'Acme' }]);
  });

  it('does not keep a failed company read: the next page reads it again', async () => {
    const pages = reader(1000);
    gw.failing.add(companyDocId('c1'));
    await expect(pages.postingWithCompany('p1')).rejects.toThrow('ECONNREFUSED');
    gw.sent.length = 0;
    expect((await pages.postingWithCompany('p1'))?.company?.profile).toEqual({ name: 'Acme' });
    expect(gw.sent).toEqual(['GET p1', `GET ${C1}`]);
  });

  it('answers null for a posting missing from the index, without reading a company', async () => {
    const pages = reader(1000);
    expect(await pages.postingWithCompany('p9')).toBeNull();
    expect(gw.sent).toEqual(['GET p9']);
  });

  it('answers a page without a company panel while the company has no document, and shows it once it has', async () => {
    const pages = reader(1000);
    gw.docs.set('p3', posting('p3', 'c9'));
    expect((await pages.postingWithCompany('p3'))?.company).toBeNull();
    gw.docs.set(companyDocId('c9'), company('Initech'));
    clock += 1000;
    expect((await pages.postingWithCompany('p3'))?.company?.profile).toEqual({ name: 'Initech' });
  });
});
