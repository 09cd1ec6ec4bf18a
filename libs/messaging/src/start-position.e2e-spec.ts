import { Kafka, logLevel } from 'kafkajs';
import { engines, runId } from '../../../test/support/engines';
import { pinUncommittedAtEnd } from './start-position';

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
  });
  afterAll(async () => {
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await Promise.all([admin.disconnect(), producer.disconnect()]);
  });

  it('commits the end of partitions the group never committed, and leaves committed ones alone', async () => {
    await send(0, 3);
    await send(1, 2);
    expect(await committed()).toEqual(['-1', '-1']);
    await expect(pinUncommittedAtEnd(admin, groupId, [topic])).resolves.toBe(2);
    expect(await committed()).toEqual(['3', '2']);

    await admin.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset: '1' }] }); // the group's own progress
    await send(0, 4);
    await send(1, 4);
    await expect(pinUncommittedAtEnd(admin, groupId, [topic])).resolves.toBe(0);
    expect(await committed()).toEqual(['1', '2']); // nothing that arrived meanwhile is skipped
  });
});
