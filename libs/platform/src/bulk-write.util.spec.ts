import { bulkWriteSkippingDuplicates, duplicateKeyIndexes } from './bulk-write.util';

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

describe('duplicateKeyIndexes', () => {
  it('reads the driver shapes of write errors', () => {
    expect(duplicateKeyIndexes(bulkError([dup(2), dup(0)]))).toEqual([2, 0]);
    expect(duplicateKeyIndexes(bulkError({ err: { index: 1, code: 11000 } }))).toEqual([1]);
    expect(duplicateKeyIndexes(bulkError([{ code: 11000 }]))).toBeUndefined(); // which one is unknown
    expect(duplicateKeyIndexes(Object.assign(new Error('dup'), { code: 11000 }))).toBeUndefined();
    expect(duplicateKeyIndexes(undefined)).toBeUndefined();
  });
});
