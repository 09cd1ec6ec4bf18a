import { Kafka, logLevel } from 'kafkajs';
import { engines, runId } from '../../../test/support/engines';
import { eventually } from '../../../test/support/apps';
import { advanceGroup, isGroupInUse, pinUncommittedAtEnd } from './start-position';

describe('pinUncommittedAtEnd against the real broker', () => {
  const kafka = new Kafka({ clientId: 'e2e-pin', brokers: [engines.kafkaBrokers], sasl: engines.kafkaSasl, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const producer = kafka.producer();
  const topic = `e2e-pin-${runId}`;
  const groupId = `e2e-pin-${runId}`;
  const committed = async () => (await admin.fetchOffsets({ groupId, topics: [topic] }))[0].partitions.sort((a, b) => a.partition - b.partition).map((p) => p.offset);
  const send = (partition: number, n: number) => producer.send({ topic, acks: -1, messages: Array.from({ length: n }, (_, i) => ({ partition, value: `m${i}` })) });

  beforeAll(async () => {
    await Promise.all([admin.connect(), producer.connect()]);
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    // On a broker just formatted, the group coordinators' partitions are still loading (a retriable
    // error kafkajs' fetchOffsets passes on): wait until both groups' coordinators answer.
    for (const group of [groupId, `${groupId}-advance`, `${groupId}-member`]) {
      await eventually(() => admin.fetchOffsets({ groupId: group, topics: [topic] }).then(() => true), 60_000, 250);
    }
  }, 90_000);
  afterAll(async () => {
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await Promise.all([admin.disconnect(), producer.disconnect()]);
  });

  it('commits the end of partitions the group never committed, and leaves committed ones alone', async () => {
    await send(0, 3);
    await send(1, 2);
    expect(await committed()).toEqual(['-1', '-1']);
    await expect(pinUncommittedAtEnd(kafka, admin, groupId, [topic])).resolves.toBe(2);
    expect(await committed()).toEqual(['3', '2']);

    await admin.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset: '1' }] }); // the group's own progress
    await send(0, 4);
    await send(1, 4);
    await expect(pinUncommittedAtEnd(kafka, admin, groupId, [topic])).resolves.toBe(0);
    expect(await committed()).toEqual(['1', '2']); // nothing that arrived meanwhile is skipped
  });

  it('does not pin while the group has a member: the broker refuses the commit', async () => {
    const group = `${groupId}-member`;
    const consumer = kafka.consumer({ groupId: group });
    const joined = new Promise((resolve) => consumer.on(consumer.events.GROUP_JOIN, resolve));
    await consumer.connect();
    await consumer.subscribe({ topics: [topic] });
    await consumer.run({ autoCommit: false, eachMessage: async () => undefined }); // never commits: both partitions stay uncommitted
    await joined;
    try {
      const refused: unknown = await pinUncommittedAtEnd(kafka, admin, group, [topic]).then(
        (pinned) => new Error(`pinned ${pinned} partitions of a group with a member`),
        (err: unknown) => err,
      );
      expect(isGroupInUse(refused)).toBe(true);
      const offsets = (await admin.fetchOffsets({ groupId: group, topics: [topic] }))[0].partitions.map((p) => p.offset);
      expect(offsets).toEqual(['-1', '-1']);
    } finally {
      await consumer.disconnect();
      await admin.deleteGroups([group]).catch(() => undefined);
    }
  }, 60_000);

  it('advances a group to a time or to the end, never back, and is refused while the group has a member', async () => {
    const group = `${groupId}-advance`;
    const offsets = async () => (await admin.fetchOffsets({ groupId: group, topics: [topic] }))[0].partitions.sort((a, b) => a.partition - b.partition).map((p) => p.offset);
    const ends = async () => (await admin.fetchTopicOffsets(topic)).sort((a, b) => a.partition - b.partition).map((p) => p.high);
    const before = await ends();
    await new Promise((r) => setTimeout(r, 50));
    const at = new Date();
    await send(0, 2);
    await send(1, 1);
    await expect(advanceGroup(kafka, admin, group, [topic], at)).resolves.toBe(2);
    expect(await offsets()).toEqual(before); // the first events stamped at or after `at`
    await expect(advanceGroup(kafka, admin, group, [topic], new Date(at.getTime() - 60_000))).resolves.toBe(0); // never back
    expect(await offsets()).toEqual(before);
    await expect(advanceGroup(kafka, admin, group, [topic], 'end')).resolves.toBe(2);
    expect(await offsets()).toEqual(await ends());

    const consumer = kafka.consumer({ groupId: group });
    const joined = new Promise((resolve) => consumer.on(consumer.events.GROUP_JOIN, resolve));
    await consumer.connect();
    await consumer.subscribe({ topics: [topic] });
    // No commits of its own: the end must stay ahead of the group, so there is something to move.
    await consumer.run({ autoCommit: false, eachMessage: async () => undefined });
    await joined;
    try {
      await send(0, 1);
      const refused: unknown = await advanceGroup(kafka, admin, group, [topic], 'end').then(
        (moved) => new Error(`moved ${moved} partitions of a group with a member`),
        (err: unknown) => err,
      );
      expect(isGroupInUse(refused)).toBe(true);
      await expect(advanceGroup(kafka, admin, group, [topic], 'end', () => Promise.resolve(false))).resolves.toBe(0); // cancelled before the commit
    } finally {
      await consumer.disconnect();
      await admin.deleteGroups([group]).catch(() => undefined);
    }
  }, 60_000);
});
