import { CoalescedRefresh } from './coalesced-refresh';

describe('CoalescedRefresh', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  const setup = (gap = 100, refresh: () => Promise<void> = async () => undefined) => {
    const starts: number[] = [];
    const errors: unknown[] = [];
    const r = new CoalescedRefresh(async () => {
      starts.push(Date.now());
      await refresh();
    }, gap, (err) => errors.push(err));
    return { r, starts, errors };
  };

  it('refreshes at once after a quiet spell, and requests within the gap share one refresh', async () => {
    const { r, starts } = setup();
    r.request();
    await jest.advanceTimersByTimeAsync(0);
    expect(starts).toEqual([1_000_000]);
    r.request();
    r.request();
    await jest.advanceTimersByTimeAsync(50);
    r.request();
    expect(starts).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(60);
    expect(starts).toEqual([1_000_000, 1_000_100]);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(starts).toHaveLength(2);
  });

  it('never overlaps a slow refresh, and a failed one is reported, not thrown', async () => {
    let calls = 0;
    const { r, starts, errors } = setup(10, () => new Promise<void>((resolve, reject) => setTimeout(() => (++calls === 1 ? reject(new Error('busy')) : resolve()), 500)));
    r.request();
    await jest.advanceTimersByTimeAsync(20);
    r.request();
    await jest.advanceTimersByTimeAsync(20);
    expect(starts).toEqual([1_000_000]);
    await jest.advanceTimersByTimeAsync(500);
    expect(starts).toEqual([1_000_000, 1_000_500]);
    expect(errors).toEqual([new Error('busy')]);
  });

  it('drops a pending refresh on close and waits for the one in flight', async () => {
    const { r, starts } = setup(100, () => new Promise<void>((resolve) => setTimeout(resolve, 50)));
    r.request();
    await jest.advanceTimersByTimeAsync(0);
    r.request();
    let closed = false;
    void r.close().then(() => (closed = true));
    await jest.advanceTimersByTimeAsync(10);
    expect(closed).toBe(false);
    await jest.advanceTimersByTimeAsync(50);
    expect(closed).toBe(true);
    await jest.advanceTimersByTimeAsync(500);
    r.request();
    await jest.advanceTimersByTimeAsync(500);
    expect(starts).toHaveLength(1);
  });
});
