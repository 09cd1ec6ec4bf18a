import { documentWritesFor, ferretDbWrites, mongoDbWrites } from './document-store';
import type { VersionedCollection } from './bulk-write.util';

/** A MongoDB bulk-write error as the driver raises it: the failed operations' positions and codes, and the counts of the rest. */
const bulkError = (indexes: number[], result: Record<string, number>) => Object.assign(new Error('E11000 duplicate key'), { writeErrors: indexes.map((index) => ({ index, code: 11000 })), result });

describe('document store writes per engine', () => {
  it('chooses the FerretDB workarounds only for FerretDB', () => {
    expect(documentWritesFor('ferretdb')).toBe(ferretDbWrites);
    expect(documentWritesFor('mongodb')).toBe(mongoDbWrites);
  });

  it('MongoDB: one unordered command of versioned upserts; a duplicate key is a stale write, skipped', async () => {
    const sent: object[][] = [];
    const collection: VersionedCollection = {
      find: () => {
        throw new Error('the MongoDB path reads nothing first');
      },
      insertMany: () => Promise.reject(new Error('the MongoDB path never inserts')),
      bulkWrite: (ops) => {
        sent.push(ops);
        return Promise.reject(bulkError([1], { upsertedCount: 1, matchedCount: 1 }));
      },
    };
    const result = await mongoDbWrites.applyVersioned(collection, 'revision', [
      { _id: 'a', version: 1, set: { title: 'old' } },
      { _id: 'a', version: 2, set: { title: 'new' } },
      { _id: 'b', version: 5, set: { title: 'stale' } },
      { _id: 'c', version: 1, set: { title: 'fresh' }, unset: ['closedAt'] },
    ]);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toEqual([
      { updateOne: { filter: { _id: 'a', $or: [{ revision: { $lt: 2 } }, { revision: { $exists: false } }] }, update: { $set: { title: 'new', revision: 2 } }, upsert: true } },
      { updateOne: { filter: { _id: 'b', $or: [{ revision: { $lt: 5 } }, { revision: { $exists: false } }] }, update: { $set: { title: 'stale', revision: 5 } }, upsert: true } },
      { updateOne: { filter: { _id: 'c', $or: [{ revision: { $lt: 1 } }, { revision: { $exists: false } }] }, update: { $set: { title: 'fresh', revision: 1 }, $unset: { closedAt: '' } }, upsert: true } },
    ]);
    expect(result).toEqual({ inserted: 1, updated: 1, stale: 2, skipped: ['b'] });
  });

  it('MongoDB: a bulk write that fails with anything but duplicate keys fails', async () => {
    const down = new Error('connection reset');
    await expect(mongoDbWrites.bulkWriteSkippingDuplicates(() => Promise.reject(down), [1, 2])).rejects.toBe(down);
    await expect(mongoDbWrites.bulkWriteSkippingDuplicates(() => Promise.reject(bulkError([0], {})), [1, 2])).resolves.toBeUndefined();
  });

  it('MongoDB: sends the whole batch in one command (no 25-statement commands)', async () => {
    const sizes: number[] = [];
    await mongoDbWrites.bulkWriteSkippingDuplicates((ops: number[]) => Promise.resolve(void sizes.push(ops.length)), Array.from({ length: 300 }, (_, i) => i));
    expect(sizes).toEqual([300]);
  });
});
