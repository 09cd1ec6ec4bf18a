import { mongo } from 'mongoose';
import { engines, runId } from '../../../test/support/engines';
import { applyVersioned, bulkWriteSkippingDuplicates, type VersionedCollection } from './bulk-write.util';
import { detectEngine } from './document-store';
import type { Connection } from 'mongoose';

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

  it('recognises the engine, so only FerretDB gets its workarounds', async () => {
    const engine = await detectEngine({ db: client.db() } as unknown as Connection);
    expect(engine).toBe('ferretdb'); // the local engine; MongoDB has no ferretdb field in buildInfo
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

  it('applies versioned writes: inserts the new, updates the older, skips the stale, newest of a batch wins', async () => {
    const coll = client.db().collection('versioned');
    const versioned = coll as unknown as VersionedCollection;
    await coll.insertMany([
      { _id: 'older' as never, name: 'old', extra: 'x', version: 1 },
      { _id: 'newer' as never, name: 'kept', version: 9 },
      { _id: 'unversioned' as never, stats: 1 },
    ]);
    const result = await applyVersioned(versioned, 'version', [
      { _id: 'fresh', version: 1, set: { name: 'first' }, onInsert: { score: 0 } },
      { _id: 'fresh', version: 2, set: { name: 'second' }, onInsert: { score: 0 } },
      { _id: 'older', version: 2, set: { name: 'updated' }, unset: ['extra'], onInsert: { score: 0 } },
      { _id: 'newer', version: 3, set: { name: 'stale' } },
      { _id: 'unversioned', version: 1, set: { name: 'now versioned' } },
    ]);
    expect(result).toEqual({ inserted: 1, updated: 2, stale: 2, skipped: ['newer'] });
    expect(await coll.find({}).sort({ _id: 1 }).toArray()).toEqual([
      { _id: 'fresh', name: 'second', score: 0, version: 2 },
      { _id: 'newer', name: 'kept', version: 9 },
      { _id: 'older', name: 'updated', version: 2 },
      { _id: 'unversioned', stats: 1, name: 'now versioned', version: 1 },
    ]);
    // Replaying the same writes changes nothing.
    await expect(applyVersioned(versioned, 'version', [{ _id: 'fresh', version: 2, set: { name: 'again' } }])).resolves.toEqual({ inserted: 0, updated: 0, stale: 1, skipped: ['fresh'] });
  });

  it('updates hundreds of documents by id, from concurrent writers, without wedging the database', async () => {
    // One `update` command of ~100 statements used to hang FerretDB's database for good (see
    // STATEMENTS_PER_COMMAND); 4 writers x 150 statements exceed its pool of 100 several times over.
    const coll = client.db().collection<Doc>('many');
    await coll.insertMany(Array.from({ length: 600 }, (_, i) => ({ _id: `m${i}`, name: 'before', version: 1 })));
    await Promise.all(
      [0, 1, 2, 3].map((w) =>
        bulkWriteSkippingDuplicates(
          (ops) => coll.bulkWrite(ops, { ordered: false }),
          Array.from({ length: 150 }, (_, i) => ({ updateOne: { filter: { _id: `m${w * 150 + i}` }, update: { $set: { name: `writer ${w}` } } } })),
        ),
      ),
    );
    const names = await coll.aggregate<{ _id: string; n: number }>([{ $group: { _id: '$name', n: { $sum: 1 } } }, { $sort: { _id: 1 } }]).toArray();
    expect(names).toEqual([0, 1, 2, 3].map((w) => ({ _id: `writer ${w}`, n: 150 })));
    // And the database still answers (a wedged one queues every later query).
    await expect(coll.countDocuments({})).resolves.toBe(600);
  }, 120_000);
});
