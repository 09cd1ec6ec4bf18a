import { SpacedCalls } from './spaced-calls';

describe('SpacedCalls', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  it('calls soon after a request, folds requests made meanwhile into that call, and spaces calls by the gap', async () => {
    const calls: number[] = [];
    const spaced = new SpacedCalls(200, () => Promise.resolve(void calls.push(Date.now())), () => undefined);
    spaced.request();
    spaced.request();
    await jest.advanceTimersByTimeAsync(0);
    expect(calls).toEqual([1_000_000]);
    // Right after a call: the next one waits out the gap, and every request until then joins it.
    await jest.advanceTimersByTimeAsync(50);
    spaced.request();
    await jest.advanceTimersByTimeAsync(100);
    spaced.request();
    expect(calls).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(50);
    expect(calls).toEqual([1_000_000, 1_000_200]);
    // Long after: at once again.
    await jest.advanceTimersByTimeAsync(1000);
    spaced.request();
    await jest.advanceTimersByTimeAsync(0);
    expect(calls).toEqual([1_000_000, 1_000_200, 1_001_200]);
  });

  it('hands a failed call to onError, and cancel drops a waiting one', async () => {
    const errors: unknown[] = [];
    let n = 0;
    const spaced = new SpacedCalls(200, () => (++n === 1 ? Promise.reject(new Error('refused')) : Promise.resolve()), (err) => errors.push(err));
    spaced.request();
    await jest.advanceTimersByTimeAsync(0);
    expect(errors).toEqual([new Error('refused')]);
    spaced.request();
    spaced.cancel();
    await jest.advanceTimersByTimeAsync(500);
    expect(n).toBe(1);
  });
});
