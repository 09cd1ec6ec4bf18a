import type { Admin, ITopicConfig } from 'kafkajs';
import { TopicCatalog, dlqTopic, redriveTopic } from '@jobstream/contracts';

export interface ProvisionOptions {
  /** Partition count per topic, e.g. from KAFKA_PARTITIONS_* variables. */
  partitions?: Record<string, number>;
  replicationFactor?: number;
  /** Consumer groups whose dead-letter topics should exist. */
  dlqGroups?: string[];
  /**
   * False: only the dead-letter and re-drive topics. A service's principal can't see (let alone
   * create) catalog topics it neither reads nor writes, so it must not try to create them.
   */
  catalog?: boolean;
}

export function desiredTopics(options: ProvisionOptions = {}): ITopicConfig[] {
  const replicationFactor = options.replicationFactor ?? 1;
  const topics: ITopicConfig[] = (options.catalog === false ? [] : TopicCatalog).map((t) => ({
    topic: t.name,
    numPartitions: options.partitions?.[t.name] ?? t.defaultPartitions,
    replicationFactor,
    configEntries: t.compacted
      ? [
          { name: 'cleanup.policy', value: 'compact' },
          // Snapshots are small and rewritten often: compact promptly so a replay reads little.
          { name: 'min.cleanable.dirty.ratio', value: '0.1' },
          { name: 'segment.ms', value: '3600000' },
        ]
      : [{ name: 'cleanup.policy', value: 'delete' }],
  }));
  for (const group of options.dlqGroups ?? []) {
    topics.push({
      topic: dlqTopic(group),
      numPartitions: 1,
      replicationFactor,
      // Dead letters wait for an operator: keep them for 30 days.
      configEntries: [{ name: 'retention.ms', value: String(30 * 24 * 3600 * 1000) }],
    });
    topics.push({
      topic: redriveTopic(group),
      numPartitions: 1,
      replicationFactor,
      configEntries: [{ name: 'retention.ms', value: String(7 * 24 * 3600 * 1000) }],
    });
  }
  return topics;
}

/** Creates missing topics and grows partition counts; never shrinks or deletes anything. */
export async function provisionTopics(admin: Admin, options: ProvisionOptions = {}): Promise<{ created: string[]; grown: string[] }> {
  const wanted = desiredTopics(options);
  const existing = new Set(await admin.listTopics());
  const missing = wanted.filter((t) => !existing.has(t.topic));
  if (missing.length > 0) await admin.createTopics({ topics: missing, waitForLeaders: true });
  const grown: string[] = [];
  const present = wanted.filter((t) => existing.has(t.topic));
  if (present.length > 0) {
    const meta = await admin.fetchTopicMetadata({ topics: present.map((t) => t.topic) });
    const growth = meta.topics
      .map((m) => ({ topic: m.name, have: m.partitions.length, want: present.find((p) => p.topic === m.name)?.numPartitions ?? 0 }))
      .filter((g) => g.want > g.have);
    if (growth.length > 0) {
      await admin.createPartitions({ topicPartitions: growth.map((g) => ({ topic: g.topic, count: g.want })) });
      grown.push(...growth.map((g) => g.topic));
    }
  }
  return { created: missing.map((t) => t.topic), grown };
}

/** Reads KAFKA_PARTITIONS_<TOPIC> overrides from the environment. */
export function partitionsFromEnv(env: NodeJS.ProcessEnv = process.env): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of TopicCatalog) {
    const raw = env[t.partitionsEnv];
    if (raw === undefined || raw === '') continue;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) throw new Error(`Invalid configuration: ${t.partitionsEnv} must be a whole number of at least 1 (got "${raw}")`);
    out[t.name] = n;
  }
  return out;
}
