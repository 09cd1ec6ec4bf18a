import type { Admin } from 'kafkajs';

/**
 * Makes "latest" mean "from when the group first started", not "from whenever a partition is first
 * assigned": kafkajs resolves an uncommitted partition to its end at every assignment, so a restart
 * or rebalance before the group's first commit there would skip what arrived in between. Commits the
 * current end of every partition the group has never committed; committed ones are left alone.
 * Returns how many partitions were pinned.
 */
export async function pinUncommittedAtEnd(admin: Admin, groupId: string, topics: readonly string[]): Promise<number> {
  let pinned = 0;
  const committed = await admin.fetchOffsets({ groupId, topics: [...topics] });
  for (const { topic, partitions } of committed) {
    const missing = new Set(partitions.filter((p) => Number(p.offset) < 0).map((p) => p.partition));
    if (missing.size === 0) continue;
    const ends = await admin.fetchTopicOffsets(topic);
    const at = ends.filter((e) => missing.has(e.partition)).map((e) => ({ partition: e.partition, offset: e.high }));
    await admin.setOffsets({ groupId, topic, partitions: at });
    pinned += at.length;
  }
  return pinned;
}
