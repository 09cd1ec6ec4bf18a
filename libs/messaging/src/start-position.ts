import type { Admin, Kafka } from 'kafkajs';

type PartitionOffsets = { partition: number; offset: string }[];
type OffsetMoves = { topic: string; partitions: PartitionOffsets }[];

/**
 * Makes "latest" mean "from when the group first started", not "from whenever a partition is first
 * assigned": kafkajs resolves an uncommitted partition to its end at every assignment, so a restart
 * or rebalance before the group's first commit there would skip what arrived in between. Commits the
 * current end of every partition the group has never committed, in one commit the broker refuses
 * while the group has members (a running replica already pinned them; the promise rejects,
 * `isGroupInUse`); committed ones are left alone. Returns how many partitions were pinned.
 */
export function pinUncommittedAtEnd(kafka: Kafka, admin: Admin, groupId: string, topics: readonly string[]): Promise<number> {
  return moveGroup(kafka, admin, groupId, topics, async (topic, committed) => {
    const missing = new Set(committed.filter((p) => Number(p.offset) < 0).map((p) => p.partition));
    if (missing.size === 0) return [];
    return (await admin.fetchTopicOffsets(topic)).filter((e) => missing.has(e.partition)).map((e) => ({ partition: e.partition, offset: e.high }));
  });
}

/**
 * The one way a group's offsets are moved: `pick` says, topic by topic from what the group committed
 * (-1 where nothing), which partitions move where; `beforeCommit` may still cancel; the commit is
 * refused while the group has members. Returns how many partitions moved.
 */
async function moveGroup(
  kafka: Kafka,
  admin: Admin,
  groupId: string,
  topics: readonly string[],
  pick: (topic: string, committed: PartitionOffsets) => Promise<PartitionOffsets>,
  beforeCommit: () => Promise<boolean> = () => Promise.resolve(true),
): Promise<number> {
  const committed = await admin.fetchOffsets({ groupId, topics: [...topics] });
  const moves: OffsetMoves = [];
  for (const { topic, partitions } of committed) {
    const to = await pick(topic, partitions);
    if (to.length > 0) moves.push({ topic, partitions: to });
  }
  if (moves.length === 0 || !(await beforeCommit())) return 0;
  await commitIfGroupEmpty(kafka, groupId, moves);
  return moves.reduce((n, m) => n + m.partitions.length, 0);
}

interface GroupCoordinator {
  offsetCommit(request: { groupId: string; groupGenerationId: number; memberId: string; topics: OffsetMoves }): Promise<unknown>;
}
interface KafkaCluster {
  connect(): Promise<void>;
  refreshMetadata(): Promise<void>;
  disconnect(): Promise<void>;
  findGroupCoordinator(request: { groupId: string }): Promise<GroupCoordinator>;
}

/**
 * Commits offsets for a group only if it has no members, in one request the broker checks: an
 * OffsetCommit without generation or member, as Kafka's own AdminClient sends for
 * alterConsumerGroupOffsets. kafkajs' `admin.setOffsets` instead joins the group with a consumer of
 * its own, topic by topic, after a separate check: seconds per topic, and a real consumer joining
 * meanwhile is not refused. kafkajs has no public call for this request, so the cluster comes from
 * its client's private factory (kafkajs 2.2.x; start-position.e2e-spec.ts runs it on the broker).
 */
async function commitIfGroupEmpty(kafka: Kafka, groupId: string, topics: OffsetMoves): Promise<void> {
  const factory = Object.getOwnPropertySymbols(kafka).find((s) => s.description === 'private:Kafka:createCluster');
  if (!factory) throw new Error('this kafkajs version has no cluster factory: commitIfGroupEmpty needs updating');
  const cluster = (kafka as unknown as Record<symbol, (o: { allowAutoTopicCreation: boolean }) => KafkaCluster>)[factory]({ allowAutoTopicCreation: false });
  try {
    await cluster.connect();
    await cluster.refreshMetadata(); // connect() alone knows no brokers to ask for the coordinator
    const coordinator = await cluster.findGroupCoordinator({ groupId });
    await coordinator.offsetCommit({ groupId, groupGenerationId: -1, memberId: '', topics });
  } finally {
    await cluster.disconnect();
  }
}

/**
 * Moves a group's committed offsets forward on every partition of these topics: to the partition's
 * end, or to its first event stamped at or after a time. Never moves one back, so whatever the group
 * already committed past that point stays. The broker refuses the commit (the promise rejects,
 * `isGroupInUse`) while the group has members. `beforeCommit` runs after the targets are read and
 * may cancel the move (answer false): a skip to the end asks there whether it is still wanted, so
 * the ends it commits were read before that answer. Returns how many partitions moved.
 */
export function advanceGroup(
  kafka: Kafka,
  admin: Admin,
  groupId: string,
  topics: readonly string[],
  to: 'end' | Date,
  beforeCommit?: () => Promise<boolean>,
): Promise<number> {
  const pick = async (topic: string, committed: PartitionOffsets) => {
    const targets =
      to === 'end'
        ? (await admin.fetchTopicOffsets(topic)).map((p) => ({ partition: p.partition, offset: p.high }))
        : await admin.fetchTopicOffsetsByTimestamp(topic, to.getTime());
    const now = new Map(committed.map((p) => [p.partition, BigInt(p.offset)]));
    return targets.filter((t) => BigInt(t.offset) > (now.get(t.partition) ?? -1n)).map((t) => ({ partition: t.partition, offset: String(t.offset) }));
  };
  return moveGroup(kafka, admin, groupId, topics, pick, beforeCommit);
}

/** The broker's refusal to commit for a group, without a generation, while it has members. */
export const isGroupInUse = (err: unknown): boolean => {
  const type = (err as { type?: unknown } | undefined)?.type;
  return type === 'UNKNOWN_MEMBER_ID' || type === 'ILLEGAL_GENERATION' || type === 'REBALANCE_IN_PROGRESS';
};
