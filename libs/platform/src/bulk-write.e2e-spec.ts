import { mongo } from 'mongoose';
import { engines, runId } from '../../../test/support/engines';
import { bulkWriteSkippingDuplicates } from './bulk-write.util';

interface Doc {
  _id: string;
  name: string;
  version: number;
}

/** The versioned upsert the read models use: lands only if newer than what is stored. */
const upsert = (_id: string, version: number, name: string) => ({
  updateOne: { filter: { _id, $or: [{ version: { $lt: version } }, { version: { $exists: false } }] }, update: { $set: { name, version } }, upsert: true },
});

describe('bulkWriteSkippingDuplicates against the real database server', () => {
  const client = new mongo.MongoClient(`${engines.mongoBase}/e2e_${runId}_bulk`, { serverSelectionTimeoutMS: 10_000 });
  let docs: mongo.Collection<Doc>;

  beforeAll(async () => {
    await client.connect();
    docs = client.db().collection<Doc>('docs');
  });
  afterAll(async () => {
    await client.db().dropDatabase().catch(() => undefined);
    await client.close();
  });

  it('applies every operation after a stale one in the same unordered batch', async () => {
    await docs.insertOne({ _id: 'kept', name: 'newest', version: 5 });
    await bulkWriteSkippingDuplicates((ops) => docs.bulkWrite(ops, { ordered: false }), [
      upsert('kept', 3, 'stale'),
      upsert('first', 1, 'one'),
      upsert('kept', 5, 'replayed'),
      upsert('second', 1, 'two'),
    ]);
    const stored = await docs.find({}).sort({ _id: 1 }).toArray();
    expect(stored).toEqual([
      { _id: 'first', name: 'one', version: 1 },
      { _id: 'kept', name: 'newest', version: 5 },
      { _id: 'second', name: 'two', version: 1 },
    ]);
  });
});
