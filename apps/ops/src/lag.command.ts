import type { Kafka } from 'kafkajs';
import { dlqTopic, redriveTopic } from '@jobstream/contracts';
import { formatTable, partitionRanges } from './topic-reader.util';
import type { Print } from './dead-letters.command';

export interface TopicLag {
  group: string;
  topic: string;
  partitions: number;
  /** Events not consumed yet, over the partitions the group has committed. */
  lag: bigint;
  /**
   * Partitions with no committed offset: where the group starts there depends on its start position
   * (CONSUMER_FROM_BEGINNING), so, like kafka-consumer-groups, they count no lag.
   */
  uncommitted: number;
}

export interface GroupLag {
  group: string;
  topics: TopicLag[];
  total: bigint;
  deadLetters: bigint;
}

/** Lag = end offset − committed offset per partition, summed per topic. */
export function topicLag(
  group: string,
  topic: string,
  committed: readonly { partition: number; offset: string }[],
  ranges: readonly { partition: number; low: bigint; high: bigint }[],
): TopicLag {
  let lag = 0n;
  let uncommitted = 0;
  for (const r of ranges) {
    const c = committed.find((p) => p.partition === r.partition);
    const at = c && Number(c.offset) >= 0 ? BigInt(c.offset) : undefined;
    if (at === undefined) {
      uncommitted++;
      continue;
    }
    const from = at < r.low ? r.low : at; // retention removed what it hadn't read: that much is gone
    lag += r.high > from ? r.high - from : 0n;
  }
  return { group, topic, partitions: ranges.length, lag, uncommitted };
}

export async function groupLag(kafka: Kafka, groups: readonly string[]): Promise<GroupLag[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const out: GroupLag[] = [];
    for (const group of groups) {
      const committed = await admin.fetchOffsets({ groupId: group });
      const topics: TopicLag[] = [];
      for (const { topic, partitions } of committed) {
        if (!existing.has(topic)) continue;
        topics.push(topicLag(group, topic, partitions, await partitionRanges(admin, topic)));
      }
      let deadLetters = 0n;
      if (existing.has(dlqTopic(group))) deadLetters = (await partitionRanges(admin, dlqTopic(group))).reduce((n, r) => n + (r.high - r.low), 0n);
      topics.sort((a, b) => a.topic.localeCompare(b.topic));
      out.push({ group, topics, total: topics.filter((t) => t.topic !== redriveTopic(group)).reduce((n, t) => n + t.lag, 0n), deadLetters });
    }
    return out;
  } finally {
    await admin.disconnect();
  }
}

export async function lagCommand(kafka: Kafka, groups: readonly string[], print: Print, options: { json?: boolean } = {}): Promise<void> {
  const lags = await groupLag(kafka, groups);
  if (options.json) {
    print(JSON.stringify(lags, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v), 2));
    return;
  }
  const rows = lags.flatMap((g) =>
    g.topics.length === 0
      ? [[g.group, '(no committed offsets)', '', '', '']]
      : g.topics.map((t) => [g.group, t.topic, String(t.partitions), String(t.lag), t.uncommitted > 0 ? `${t.uncommitted} partitions never committed` : '']),
  );
  print(formatTable(['group', 'topic', 'partitions', 'lag', 'note'], rows));
  print('');
  for (const g of lags) print(`${g.group}: ${g.total} events behind, ${g.deadLetters} dead letters in ${dlqTopic(g.group)}`);
}
