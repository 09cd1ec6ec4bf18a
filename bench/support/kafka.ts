import { Kafka, logLevel, type Admin, type Message, type Producer } from 'kafkajs';
import { TopicCatalog, type AnyEvent } from '@jobstream/contracts';
import { provisionTopics } from '../../libs/messaging/src/topic-provisioner';

/** partition -> offset */
export type Offsets = Map<number, bigint>;

/** The broker admin scripts/engines.sh creates (every client of the broker logs in). */
export const benchKafkaSasl = {
  mechanism: 'scram-sha-512' as const,
  username: process.env.KAFKA_ADMIN_USERNAME ?? 'admin',
  password: process.env.KAFKA_ADMIN_PASSWORD ?? 'jobstream-local-admin',
};

export function benchKafka(brokers: string, clientId: string): Kafka {
  return new Kafka({ clientId, brokers: brokers.split(','), sasl: benchKafkaSasl, logLevel: logLevel.NOTHING, retry: { retries: 8, initialRetryTime: 200 } });
}

export async function provision(kafka: Kafka): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await provisionTopics(admin);
  } finally {
    await admin.disconnect();
  }
}

export async function topicEnd(admin: Admin, topic: string): Promise<Offsets> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return new Map(offsets.map((o) => [o.partition, BigInt(o.high)]));
}

export const total = (offsets: Offsets) => [...offsets.values()].reduce((a, b) => a + b, 0n);

/**
 * Commits a new group's offsets before the service joins it: every catalog topic at its end, except
 * the topics given, which start where the bench says (e.g. the start of a backlog it just produced).
 * So the service consumes exactly the backlog and what is produced afterwards, never the history.
 * (admin.setOffsets does the same one topic at a time, waiting for a fetch each: seconds per topic.)
 */
export async function positionGroup(kafka: Kafka, admin: Admin, groupId: string, at: ReadonlyMap<string, Offsets> = new Map()): Promise<void> {
  const commits: { topic: string; partition: number; offset: string }[] = [];
  for (const { name } of TopicCatalog) {
    const offsets = at.get(name) ?? (await topicEnd(admin, name));
    for (const [partition, offset] of offsets) commits.push({ topic: name, partition, offset: offset.toString() });
  }
  const consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1_000, maxWaitTimeInMs: 100, allowAutoTopicCreation: false });
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.connect();
  try {
    const topics = [...new Set(commits.map((c) => c.topic))];
    await consumer.subscribe({ topics, fromBeginning: false });
    // Nothing is processed or committed by this member; it only lends its generation to the commit.
    await consumer.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch: () => Promise.resolve() });
    await joined;
    consumer.pause(topics.map((topic) => ({ topic })));
    await consumer.commitOffsets(commits);
  } finally {
    await consumer.disconnect();
  }
}

/** How many messages of `topic` the group has committed past `from`. */
export async function committedSince(admin: Admin, groupId: string, topic: string, from: Offsets): Promise<number> {
  const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
  let n = 0n;
  for (const p of entry?.partitions ?? []) {
    const start = from.get(p.partition) ?? 0n;
    const committed = BigInt(p.offset);
    if (committed > start) n += committed - start;
  }
  return Number(n);
}

/** Messages of each topic the group has not committed yet (its consumer lag). */
export async function groupLag(admin: Admin, groupId: string, topics: readonly string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const topic of topics) {
    const end = await topicEnd(admin, topic);
    const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
    let lag = 0n;
    for (const [partition, high] of end) {
      const committed = BigInt(entry?.partitions.find((p) => p.partition === partition)?.offset ?? '-1');
      lag += high - (committed < 0n ? 0n : committed);
    }
    out[topic] = Number(lag);
  }
  return out;
}

export function toMessage(event: AnyEvent): Message {
  return { key: event.key, value: JSON.stringify(event), headers: { type: event.type, schemaVersion: String(event.schemaVersion), eventId: event.id } };
}

/** A producer with the services' durability settings: idempotent, acks from all in-sync replicas. */
export function durableProducer(kafka: Kafka, maxInFlightRequests = 1): Producer {
  return kafka.producer({ idempotent: true, maxInFlightRequests, allowAutoTopicCreation: false });
}

/** Produces a backlog fast (chunks of 1,000 messages, acks=-1) and returns the topic's offsets before it. */
export async function produceBacklog(admin: Admin, producer: Producer, topic: string, events: readonly AnyEvent[]): Promise<{ before: Offsets; after: Offsets }> {
  const before = await topicEnd(admin, topic);
  for (let i = 0; i < events.length; i += 1000) {
    await producer.send({ topic, acks: -1, messages: events.slice(i, i + 1000).map(toMessage) });
  }
  const after = await topicEnd(admin, topic);
  return { before, after };
}
