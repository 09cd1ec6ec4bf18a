import { MultiSearchBatcher } from './msearch-batcher';
import type { MultiSearch, SearchOutcome } from './opensearch.gateway';

const search = (n: number): MultiSearch => ({ index: 'postings', body: { n } });
/** Each search's answer names the search, so a caller can tell whose answers it got. */
const answering = () => {
  const sent: MultiSearch[][] = [];
  const send = async (searches: readonly MultiSearch[]): Promise<SearchOutcome[]> => {
    sent.push([...searches]);
    return searches.map((s) => ({ body: { answered: s.body.n } }));
  };
  return { sent, send };
};
const answered = (outcomes: SearchOutcome[]) => outcomes.map((o) => ('body' in o ? (o.body as { answered: number }).answered : 'error'));

describe('MultiSearchBatcher', () => {
  it('sends the searches asked in one turn of the event loop as one request, each caller getting its own answers in order', async () => {
    const { sent, send } = answering();
    const batcher = new MultiSearchBatcher(send, 32);
    const [a, b, c] = await Promise.all([batcher.submit([search(1), search(2)]), batcher.submit([search(3)]), batcher.submit([search(4), search(5)])]);
    expect(sent).toHaveLength(1);
    expect(sent[0].map((s) => s.body.n)).toEqual([1, 2, 3, 4, 5]);
    expect([answered(a), answered(b), answered(c)]).toEqual([[1, 2], [3], [4, 5]]);
  });

  it('sends a full batch at once and starts the next one, never splitting one caller between requests', async () => {
    const { sent, send } = answering();
    const batcher = new MultiSearchBatcher(send, 4);
    const answers = await Promise.all([batcher.submit([search(1), search(2)]), batcher.submit([search(3)]), batcher.submit([search(4), search(5)]), batcher.submit([search(6)])]);
    expect(sent.map((r) => r.map((s) => s.body.n))).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(answers.map(answered)).toEqual([[1, 2], [3], [4, 5], [6]]);
  });

  it('sends searches asked after a batch went in a request of their own', async () => {
    const { sent, send } = answering();
    const batcher = new MultiSearchBatcher(send, 32);
    await batcher.submit([search(1)]);
    await batcher.submit([search(2)]);
    expect(sent.map((r) => r.map((s) => s.body.n))).toEqual([[1], [2]]);
  });

  it('with a limit of one search a request, sends each call as it comes', async () => {
    const { sent, send } = answering();
    const batcher = new MultiSearchBatcher(send, 1);
    const first = batcher.submit([search(1), search(2)]);
    // Sent before the turn ends: nothing waits for company.
    expect(sent).toHaveLength(1);
    await Promise.all([first, batcher.submit([search(3)])]);
    expect(sent.map((r) => r.map((s) => s.body.n))).toEqual([[1, 2], [3]]);
  });

  it("fails every caller of a request that failed as a whole, and gives one search's refusal to its own caller only", async () => {
    const down = new MultiSearchBatcher(async () => {
      throw new Error('engine unreachable');
    }, 32);
    const results = await Promise.allSettled([down.submit([search(1)]), down.submit([search(2)])]);
    expect(results.map((r) => (r.status === 'rejected' ? (r.reason as Error).message : 'answered'))).toEqual(['engine unreachable', 'engine unreachable']);

    const refusing = new MultiSearchBatcher(async (searches) => searches.map((s) => (s.body.n === 2 ? { error: new Error('refused') } : { body: { answered: s.body.n } })), 32);
    const [a, b] = await Promise.all([refusing.submit([search(1)]), refusing.submit([search(2), search(3)])]);
    expect(answered(a)).toEqual([1]);
    expect(answered(b)).toEqual(['error', 3]);
  });

  it("sends each caller's searches again on their own when the engine refused the whole request for one search's fault", async () => {
    const sent: number[][] = [];
    const batcher = new MultiSearchBatcher(
      async (searches) => {
        sent.push(searches.map((s) => s.body.n as number));
        if (searches.some((s) => s.body.n === 2)) throw new Error('malformed point in time');
        return searches.map((s) => ({ body: { answered: s.body.n } }));
      },
      32,
      undefined,
      (err) => (err as Error).message === 'malformed point in time',
    );
    const results = await Promise.allSettled([batcher.submit([search(1)]), batcher.submit([search(2)]), batcher.submit([search(3), search(4)])]);
    expect(results.map((r) => (r.status === 'fulfilled' ? answered(r.value) : (r.reason as Error).message))).toEqual([[1], 'malformed point in time', [3, 4]]);
    expect(sent).toEqual([[1, 2, 3, 4], [1], [2], [3, 4]]);
    // Any other failure of the whole request (the engine down) fails every caller, sent once.
    const down = new MultiSearchBatcher(async () => {
      throw new Error('engine unreachable');
    }, 32, undefined, (err) => (err as Error).message === 'malformed point in time');
    const downs = await Promise.allSettled([down.submit([search(1)]), down.submit([search(2)])]);
    expect(downs.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });

  it('gives a caller only the answers the engine sent for its searches when it answered fewer than it was sent', async () => {
    const short = new MultiSearchBatcher(async (searches) => searches.slice(0, 2).map((s) => ({ body: { answered: s.body.n } })), 32);
    const [a, b] = await Promise.all([short.submit([search(1)]), short.submit([search(2), search(3)])]);
    expect(answered(a)).toEqual([1]);
    expect(answered(b)).toEqual([2]);
  });

  it('reports each request it sends: how many searches, for how many callers', async () => {
    const { send } = answering();
    const seen: [number, number][] = [];
    const batcher = new MultiSearchBatcher(send, 32, (searches, callers) => seen.push([searches, callers]));
    await Promise.all([batcher.submit([search(1), search(2)]), batcher.submit([search(3)])]);
    expect(seen).toEqual([[3, 2]]);
  });
});
