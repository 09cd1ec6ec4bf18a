import type { MultiSearch, OpenSearchGateway, SearchOutcome } from './opensearch.gateway';
import { SearchRefusedError, answerOf } from './opensearch.gateway';
import type { SearchIndex } from './search-index';
import type { SearchRequest } from './search.query';
import { SearchService } from './search.service';

/** An `_msearch` the test answers when it chooses, to hold searches in flight together. */
interface Pending {
  searches: readonly MultiSearch[];
  answer: (outcomes: SearchOutcome[]) => void;
  /** The whole request failing, as the engine fails an `_msearch` it refuses outright. */
  fail: (err: unknown) => void;
}

/** Only the gateway's transport is faked: what is sent, and when the answer comes, is the logic under test. */
class HeldGateway {
  readonly sent: Pending[] = [];
  /** Points in time asked for, answered by the test. */
  readonly pits: ((id: string) => void)[] = [];

  call(method: string, path: string): Promise<{ status: number; body: unknown }> {
    if (!path.endsWith('/_search/point_in_time')) throw new Error(`unexpected ${method} ${path}`);
    return new Promise((resolve) => this.pits.push((id) => resolve({ status: 200, body: { pit_id: id } })));
  }

  msearchEach(searches: readonly MultiSearch[]): Promise<SearchOutcome[]> {
    return new Promise((answer, fail) => this.sent.push({ searches, answer, fail }));
  }

  async msearch(searches: readonly MultiSearch[]): Promise<unknown[]> {
    return (await this.msearchEach(searches)).map((r) => answerOf(r));
  }
}

const hits = (ids: string[]) => ({ hits: { hits: ids.map((id) => ({ _id: id, _source: { snapshot: { postingId: id, title: id } } })) } });
const counts = (total: number) => ({ hits: { total: { value: total } }, aggregations: {} });
const recent = (over: Partial<SearchRequest> = {}): SearchRequest => ({ sort: 'recent', limit: 20, ...over });
const facetSearches = (gw: HeldGateway) => gw.sent.flatMap((p) => p.searches).filter((s) => s.body.size === 0).length;
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('SearchService facet counts', () => {
  let gw: HeldGateway;
  let service: SearchService;

  beforeEach(() => {
    gw = new HeldGateway();
    service = new SearchService(gw as unknown as OpenSearchGateway, { alias: 'postings' } as SearchIndex);
  });

  it('asks the engine once for the counts of searches in flight together, and again once they are answered', async () => {
    const first = service.search(recent({ location: 'Berlin' }));
    const second = service.search(recent({ location: 'Berlin', limit: 5 }));
    const other = service.search(recent({ location: 'Lisbon' }));
    await tick();
    // Berlin twice (different pages, same counts) and Lisbon: two counts, three pages of hits.
    expect(gw.sent.map((p) => p.searches.length)).toEqual([2, 1, 2]);
    expect(facetSearches(gw)).toBe(2);
    // Pages of hits opt into the engine's request cache (it keeps counts, size 0, by default).
    expect(gw.sent.flatMap((p) => p.searches).map((s) => [s.body.size === 0, s.requestCache ?? false])).toEqual([[false, true], [true, false], [false, true], [false, true], [true, false]]);
    gw.sent[1].answer([{ body: hits(['b1']) }]);
    gw.sent[0].answer([{ body: hits(['b1', 'b2']) }, { body: counts(2) }]);
    gw.sent[2].answer([{ body: hits(['l1']) }, { body: counts(1) }]);
    await expect(first).resolves.toMatchObject({ total: 2, items: [{ postingId: 'b1' }, { postingId: 'b2' }] });
    await expect(second).resolves.toMatchObject({ total: 2, items: [{ postingId: 'b1' }] });
    await expect(other).resolves.toMatchObject({ total: 1 });

    // Nothing is kept once answered: the next search counts afresh.
    const later = service.search(recent({ location: 'Berlin' }));
    await tick();
    expect(gw.sent[3].searches).toHaveLength(2);
    gw.sent[3].answer([{ body: hits([]) }, { body: counts(3) }]);
    await expect(later).resolves.toMatchObject({ total: 3 });
  });

  it("gives a search that shares counts the counts even when the other search's hits failed, and its failure to no one else", async () => {
    const failing = service.search(recent({ q: 'go' }));
    const sharing = service.search(recent({ q: 'go', limit: 3 }));
    await tick();
    gw.sent[0].answer([{ error: new SearchRefusedError(400, 'parse_exception', 'bad hits') }, { body: counts(4) }]);
    gw.sent[1].answer([{ body: hits(['g1']) }]);
    await expect(failing).rejects.toThrow('bad hits');
    await expect(sharing).resolves.toMatchObject({ total: 4, items: [{ postingId: 'g1' }] });
  });

  it("counts its own when the engine refused the whole request of the search whose counts it waited on, for that search's fault", async () => {
    const forged = service.search(recent({ q: 'go', cursor: { s: 'recent', a: [1, 'x'], p: 'not a pit' } }));
    const sharing = service.search(recent({ q: 'go', limit: 3 }));
    await tick();
    expect(gw.sent.map((p) => p.searches.length)).toEqual([2, 1]);
    // The engine refuses the forged search's whole request (its malformed point in time).
    gw.sent[0].fail(new SearchRefusedError(400, 'illegal_argument_exception', 'invalid id: [not a pit]'));
    gw.sent[1].answer([{ body: hits(['g1']) }]);
    await tick();
    expect(gw.sent[2].searches.map((s) => s.body.size)).toEqual([0]);
    gw.sent[2].answer([{ body: counts(4) }]);
    await expect(forged).rejects.toThrow('invalid id');
    await expect(sharing).resolves.toMatchObject({ total: 4, items: [{ postingId: 'g1' }] });
  });

  it('fails every search that waited on counts the engine refused', async () => {
    const first = service.search(recent({ skills: ['Go'] }));
    const second = service.search(recent({ skills: ['Go'], limit: 5 }));
    await tick();
    gw.sent[1].answer([{ body: hits([]) }]);
    gw.sent[0].answer([{ body: hits([]) }, { error: new SearchRefusedError(400, 'too_many_buckets_exception', 'too many buckets') }]);
    await expect(first).rejects.toThrow('too many buckets');
    await expect(second).rejects.toThrow('too many buckets');
    // And a refusal isn't remembered either.
    const again = service.search(recent({ skills: ['Go'] }));
    await tick();
    expect(gw.sent[2].searches).toHaveLength(2);
    gw.sent[2].answer([{ body: hits([]) }, { body: counts(0) }]);
    await expect(again).resolves.toMatchObject({ total: 0 });
  });
});

describe('SearchService identical searches', () => {
  let gw: HeldGateway;
  let service: SearchService;

  beforeEach(() => {
    gw = new HeldGateway();
    service = new SearchService(gw as unknown as OpenSearchGateway, { alias: 'postings' } as SearchIndex);
  });

  it('answers searches identical to one in flight with its answer, and asks afresh once it is answered', async () => {
    const first = service.search(recent({ q: 'rust', sort: 'recent' }));
    const same = service.search(recent({ q: 'rust', sort: 'recent' }));
    const nextPage = service.search(recent({ q: 'rust', sort: 'recent', cursor: { s: 'recent', a: [1, 'r9'] } }));
    await tick();
    // The copy sent nothing; the cursor page is another search (its counts are shared, see above).
    expect(gw.sent.map((p) => p.searches.length)).toEqual([2, 1]);
    gw.sent[0].answer([{ body: hits(['r1']) }, { body: counts(1) }]);
    gw.sent[1].answer([{ body: hits([]) }]);
    const [a, b] = await Promise.all([first, same]);
    expect(b).toBe(a);
    expect(a).toMatchObject({ total: 1, items: [{ postingId: 'r1' }] });
    await expect(nextPage).resolves.toMatchObject({ total: 1, items: [] });

    const later = service.search(recent({ q: 'rust', sort: 'recent' }));
    await tick();
    expect(gw.sent).toHaveLength(3);
    gw.sent[2].answer([{ body: hits(['r1', 'r2']) }, { body: counts(2) }]);
    await expect(later).resolves.toMatchObject({ total: 2 });
  });

  it('fails every copy with the failure of the one the engine refused, and keeps no failure', async () => {
    const first = service.search(recent({ location: 'Oslo' }));
    const same = service.search(recent({ location: 'Oslo' }));
    await tick();
    expect(gw.sent).toHaveLength(1);
    gw.sent[0].answer([{ error: new SearchRefusedError(400, 'parse_exception', 'bad hits') }, { body: counts(0) }]);
    await expect(first).rejects.toThrow('bad hits');
    await expect(same).rejects.toThrow('bad hits');
    const again = service.search(recent({ location: 'Oslo' }));
    await tick();
    expect(gw.sent).toHaveLength(2);
    gw.sent[1].answer([{ body: hits(['o1']) }, { body: counts(1) }]);
    await expect(again).resolves.toMatchObject({ total: 1 });
  });
});

describe('SearchService shared point in time', () => {
  it('reads a first page again on the live index when the shared point in time is gone, and opens another', async () => {
    const gw = new HeldGateway();
    const service = new SearchService(gw as unknown as OpenSearchGateway, { alias: 'postings' } as SearchIndex);
    const relevance: SearchRequest = { sort: 'relevance', q: 'kotlin', limit: 1 };

    // The first page opens the shared point in time beside its live read; its cursor carries it.
    const first = service.search(relevance);
    await tick();
    gw.pits[0]('pit-1');
    gw.sent[0].answer([{ body: { hits: { hits: [{ ...hits(['k1']).hits.hits[0], sort: [2, 1, 'k1'] }, { ...hits(['k2']).hits.hits[0], sort: [1, 1, 'k2'] }] } } }, { body: counts(2) }]);
    await expect(first).resolves.toMatchObject({ total: 2, nextCursor: expect.any(String) });
    expect(gw.sent[0].searches[0]).toMatchObject({ index: 'postings' });

    // The next first page reads that point in time; the engine no longer has it (a rebuild took the alias).
    const second = service.search(relevance);
    await tick();
    expect(gw.sent[1].searches[0]).toMatchObject({ body: { pit: { id: 'pit-1' } } });
    expect(gw.sent[1].searches[0].index).toBeUndefined();
    gw.sent[1].answer([{ error: new SearchRefusedError(404, 'search_context_missing_exception', 'No search context found for id [1]') }, { body: counts(2) }]);
    await tick();
    // Read again on the live index, with a new point in time opening beside it.
    expect(gw.sent[2].searches[0]).toMatchObject({ index: 'postings' });
    expect(gw.pits).toHaveLength(2);
    gw.pits[1]('pit-2');
    gw.sent[2].answer([{ body: hits(['k1']) }, { body: counts(2) }]);
    await expect(second).resolves.toMatchObject({ total: 2, items: [{ postingId: 'k1' }] });
  });
});
