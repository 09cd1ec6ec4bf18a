import { bulkWriteSkippingDuplicates, commandsOf, duplicateKeyIndexes, StatementBudget, STATEMENTS_PER_COMMAND } from './bulk-write.util';

type Op = { id: string; stale?: boolean };
const dup = (index: number) => ({ index, code: 11000, errmsg: 'E11000 duplicate key error' });
const bulkError = (writeErrors: unknown) => Object.assign(new Error('bulk write failed'), { name: 'MongoBulkWriteError', code: 11000, writeErrors });

/** A store that applies an unordered bulk write the way the given server does. */
function server(kind: 'mongodb' | 'ferretdb') {
  const applied: string[] = [];
  const calls: string[][] = [];
  const write = async (ops: Op[]) => {
    calls.push(ops.map((o) => o.id));
    const errors = [];
    for (const [index, op] of ops.entries()) {
      if (op.stale || applied.includes(op.id)) {
        errors.push(dup(index));
        if (kind === 'ferretdb') break; // FerretDB 1.x stops at the first failure, even unordered
      } else applied.push(op.id);
    }
    if (errors.length > 0) throw bulkError(errors);
  };
  return { applied, calls, write };
}

describe('bulkWriteSkippingDuplicates', () => {
  const ops: Op[] = [{ id: 'a' }, { id: 'old', stale: true }, { id: 'b' }, { id: 'older', stale: true }, { id: 'c' }];

  it.each(['mongodb', 'ferretdb'] as const)('applies every non-duplicate operation on %s', async (kind) => {
    const s = server(kind);
    await expect(bulkWriteSkippingDuplicates(s.write, ops)).resolves.toBeUndefined();
    expect(s.applied.sort()).toEqual(['a', 'b', 'c']);
  });

  it('resubmits only what follows the first failure', async () => {
    const s = server('ferretdb');
    await bulkWriteSkippingDuplicates(s.write, ops);
    expect(s.calls).toEqual([['a', 'old', 'b', 'older', 'c'], ['b', 'older', 'c'], ['c']]);
  });

  it('rethrows any failure other than a duplicate key', async () => {
    const other = bulkError([dup(0), { index: 1, code: 121, errmsg: 'validation' }]);
    await expect(bulkWriteSkippingDuplicates(() => Promise.reject(other), ops)).rejects.toBe(other);
    const network = Object.assign(new Error('connection reset'), { name: 'MongoNetworkError' });
    await expect(bulkWriteSkippingDuplicates(() => Promise.reject(network), ops)).rejects.toBe(network);
  });

  it('does nothing for no operations', async () => {
    const write = jest.fn();
    await expect(bulkWriteSkippingDuplicates(write, [])).resolves.toBeUndefined();
    expect(write).not.toHaveBeenCalled();
  });
});

describe('write commands within the statement budget', () => {
  const many = (n: number): Op[] => Array.from({ length: n }, (_, i) => ({ id: `op${i}` }));

  it('cuts a large bulk write into commands of at most STATEMENTS_PER_COMMAND, in order', async () => {
    const s = server('mongodb');
    await bulkWriteSkippingDuplicates(s.write, many(STATEMENTS_PER_COMMAND * 2 + 3));
    expect(s.calls.map((c) => c.length)).toEqual([STATEMENTS_PER_COMMAND, STATEMENTS_PER_COMMAND, 3]);
    expect(s.calls.flat()).toEqual(many(STATEMENTS_PER_COMMAND * 2 + 3).map((o) => o.id));
  });

  it('resubmits after a duplicate within the command that failed, then goes on with the next', async () => {
    const s = server('ferretdb');
    const ops = many(STATEMENTS_PER_COMMAND + 2);
    ops[1] = { id: 'stale', stale: true };
    await bulkWriteSkippingDuplicates(s.write, ops);
    expect(s.applied).toEqual(ops.filter((o) => !o.stale).map((o) => o.id));
    expect(s.calls.map((c) => c.length)).toEqual([STATEMENTS_PER_COMMAND, STATEMENTS_PER_COMMAND - 2, 2]);
  });

  it('commandsOf keeps every operation once', () => {
    expect(commandsOf([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(commandsOf([], 2)).toEqual([]);
  });

  it('never has more statements in flight than its permits, across concurrent writers', async () => {
    const budget = new StatementBudget(50);
    let inFlight = 0;
    let peak = 0;
    const write = async (ops: Op[]) => {
      inFlight += ops.length;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 2));
      inFlight -= ops.length;
    };
    await Promise.all(Array.from({ length: 8 }, () => bulkWriteSkippingDuplicates(write, many(60), budget)));
    expect(peak).toBeLessThanOrEqual(50);
    expect(peak).toBeGreaterThan(STATEMENTS_PER_COMMAND); // commands did run side by side
    expect(budget.inUse).toBe(0);
  });

  it('serves waiters first come, first served and frees permits when a write fails', async () => {
    const budget = new StatementBudget(10);
    const order: string[] = [];
    let release!: () => void;
    const holding = budget.run(8, () => new Promise<void>((r) => (release = r)));
    const big = budget.run(10, async () => order.push('big'));
    const small = budget.run(1, async () => order.push('small')); // would fit now, but waits its turn
    await new Promise((r) => setTimeout(r, 5));
    expect(order).toEqual([]);
    release();
    await Promise.all([holding, big, small]);
    expect(order).toEqual(['big', 'small']);
    await expect(budget.run(5, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(budget.inUse).toBe(0);
  });
});

describe('duplicateKeyIndexes', () => {
  it('reads the driver shapes of write errors', () => {
    expect(duplicateKeyIndexes(bulkError([dup(2), dup(0)]))).toEqual([2, 0]);
    expect(duplicateKeyIndexes(bulkError({ err: { index: 1, code: 11000 } }))).toEqual([1]);
    expect(duplicateKeyIndexes(bulkError([{ code: 11000 }]))).toBeUndefined(); // which one is unknown
    expect(duplicateKeyIndexes(Object.assign(new Error('dup'), { code: 11000 }))).toBeUndefined();
    expect(duplicateKeyIndexes(undefined)).toBeUndefined();
  });
});
