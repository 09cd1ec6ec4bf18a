import type { OpenSearchGateway } from './opensearch.gateway';
import { PageReader } from './page.reader';
import type { SearchIndex } from './search-index';
import { companyDocId } from './search.document';

/** The index as documents by id; each request is recorded. Only the transport is faked: which requests a page costs is the logic under test. */
class DocsGateway {
  readonly docs = new Map<string, Record<string, unknown>>();
  readonly sent: string[] = [];

  async call(method: string, path: string, body?: { docs: { _id: string }[] }): Promise<{ status: number; body: unknown }> {
    this.sent.push(`${method} ${path.replace('/postings/', '')}`);
    const answer = (id: string) => (this.docs.has(id) ? { _id: id, found: true, _source: this.docs.get(id) } : { _id: id, found: false });
    if (method === 'POST' && path === '/postings/_mget') return { status: 200, body: { docs: body!.docs.map((d) => answer(d._id)) } };
    const get = /^\/postings\/_doc\/(.+)$/.exec(path);
    if (method === 'GET' && get) {
      const doc = answer(decodeURIComponent(get[1]));
      return { status: doc.found ? 200 : 404, body: doc };
    }
    throw new Error(`unexpected ${method} ${path}`);
  }
}

const posting = (id: string, companyId: string) => ({ kind: 'posting', snapshot: { postingId: id, companyId, title: id, status: 'published' } });
const company = (id: string, name: string) => ({ kind: 'company', profile: { name } });

describe('PageReader.postingWithCompany', () => {
  let gw: DocsGateway;
  let reader: PageReader;

  beforeEach(() => {
    gw = new DocsGateway();
    reader = new PageReader(gw as unknown as OpenSearchGateway, { alias: 'postings' } as SearchIndex);
    gw.docs.set('p1', posting('p1', 'c1'));
    gw.docs.set(companyDocId('c1'), company('c1', 'Acme'));
    gw.docs.set(companyDocId('c2'), company('c2', 'Globex'));
  });

  it('reads a first view with two GETs and later views with one _mget, to the same page', async () => {
    const first = await reader.postingWithCompany('p1');
    expect(gw.sent).toEqual(['GET _doc/p1', `GET _doc/${encodeURIComponent(companyDocId('c1'))}`]);
    gw.sent.length = 0;
    const second = await reader.postingWithCompany('p1');
    expect(gw.sent).toEqual(['POST _mget']);
    expect(second).toEqual(first);
    expect(second?.company).toEqual({ companyId: 'c1', profile: { name: 'Acme' } });
  });

  it('reads the company a posting names now, when it is not the one remembered', async () => {
    await reader.postingWithCompany('p1');
    gw.docs.set('p1', posting('p1', 'c2'));
    gw.sent.length = 0;
    const moved = await reader.postingWithCompany('p1');
    expect(gw.sent).toEqual(['POST _mget', `GET _doc/${encodeURIComponent(companyDocId('c2'))}`]);
    expect(moved?.company?.profile).toEqual({ name: 'Globex' });
    gw.sent.length = 0;
    await reader.postingWithCompany('p1');
    expect(gw.sent).toEqual(['POST _mget']);
  });

  it('answers null for a posting gone from the index, and forgets its company', async () => {
    await reader.postingWithCompany('p1');
    gw.docs.delete('p1');
    expect(await reader.postingWithCompany('p1')).toBeNull();
    gw.sent.length = 0;
    expect(await reader.postingWithCompany('p1')).toBeNull();
    expect(gw.sent).toEqual(['GET _doc/p1']);
  });

  it('answers a page without a company panel while the company has no document yet', async () => {
    gw.docs.set('p2', posting('p2', 'c9'));
    expect((await reader.postingWithCompany('p2'))?.company).toBeNull();
    expect((await reader.postingWithCompany('p2'))?.company).toBeNull();
    gw.docs.set(companyDocId('c9'), company('c9', 'Initech'));
    expect((await reader.postingWithCompany('p2'))?.company?.profile).toEqual({ name: 'Initech' });
  });
});
