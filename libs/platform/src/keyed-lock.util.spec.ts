import { KeyedLock } from './keyed-lock.util';

const tick = () => new Promise((r) => setImmediate(r));

describe('KeyedLock', () => {
  it('runs calls sharing a key one after another, in call order', async () => {
    const lock = new KeyedLock();
    const log: string[] = [];
    const step = (name: string) => async () => {
      log.push(`${name} start`);
      await tick();
      log.push(`${name} end`);
    };
    await Promise.all([lock.run(['a', 'b'], step('first')), lock.run(['b'], step('second')), lock.run(['a', 'c'], step('third'))]);
    expect(log).toEqual(['first start', 'first end', 'second start', 'third start', 'second end', 'third end']);
    expect(lock.size).toBe(0);
  });

  it('lets calls on disjoint keys run side by side', async () => {
    const lock = new KeyedLock();
    let inside = 0;
    let peak = 0;
    const work = async () => {
      peak = Math.max(peak, ++inside);
      await tick();
      inside--;
    };
    await Promise.all([lock.run(['a'], work), lock.run(['b'], work), lock.run(['c'], work)]);
    expect(peak).toBe(3);
  });

  it('never deadlocks on overlapping key sets taken in opposite orders', async () => {
    const lock = new KeyedLock();
    const done: number[] = [];
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        lock.run(i % 2 ? ['x', 'y', `k${i % 5}`] : [`k${i % 5}`, 'y', 'x'], async () => {
          await tick();
          done.push(i);
        }),
      ),
    );
    expect(done).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('releases the keys when fn fails, and passes the failure on', async () => {
    const lock = new KeyedLock();
    await expect(lock.run(['a'], () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(lock.run(['a'], async () => 'next')).resolves.toBe('next');
    expect(lock.size).toBe(0);
  });

  it('treats a repeated key as one', async () => {
    const lock = new KeyedLock();
    await expect(lock.run(['a', 'a'], async () => 1)).resolves.toBe(1);
  });
});
