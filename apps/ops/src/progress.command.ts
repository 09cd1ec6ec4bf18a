import { AssignerProtocol, type Admin, type Kafka } from 'kafkajs';
import { partitionRanges } from './topic-reader.util';
import type { Print } from './dead-letters.command';

export interface Progress {
  /** Events the group has committed past, since the first one still stored. */
  done: bigint;
  /** Events stored in the topics it subscribes to. */
  total: bigint;
  topics: string[];
}

/** A text progress bar: `[##########----------]  50.0%  5,000/10,000`. */
export function renderBar(p: Pick<Progress, 'done' | 'total'>, width = 30, extra = ''): string {
  const ratio = p.total === 0n ? 1 : Number(p.done) / Number(p.total);
  const filled = Math.round(Math.min(1, ratio) * width);
  const fmt = (n: bigint) => Number(n).toLocaleString('en-US');
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(ratio * 100).toFixed(1).padStart(5)}%  ${fmt(p.done)}/${fmt(p.total)}${extra ? `  ${extra}` : ''}`;
}

/** The topics the group's live members subscribe to (empty when no member is running). */
async function subscribedTopics(admin: Admin, groupId: string): Promise<string[]> {
  const { groups } = await admin.describeGroups([groupId]);
  const topics = new Set<string>();
  for (const member of groups[0]?.members ?? []) {
    for (const t of AssignerProtocol.MemberMetadata.decode(member.memberMetadata)?.topics ?? []) topics.add(t);
  }
  return [...topics].sort();
}

export async function groupProgress(admin: Admin, groupId: string, topics?: readonly string[]): Promise<Progress> {
  const wanted = topics?.length ? [...topics] : await subscribedTopics(admin, groupId);
  let done = 0n;
  let total = 0n;
  const committed = wanted.length ? await admin.fetchOffsets({ groupId, topics: wanted }) : [];
  for (const topic of wanted) {
    const offsets = committed.find((c) => c.topic === topic)?.partitions ?? [];
    for (const r of await partitionRanges(admin, topic)) {
      total += r.high - r.low;
      const at = BigInt(offsets.find((o) => o.partition === r.partition)?.offset ?? '-1');
      if (at > r.low) done += (at < r.high ? at : r.high) - r.low;
    }
  }
  return { done, total, topics: wanted };
}

/**
 * How far a (rebuilding) consumer group has come through everything its topics hold, as a progress
 * bar; `watch` redraws it with the rate and an estimate until the group has caught up.
 */
export async function progressCommand(kafka: Kafka, groupId: string, print: Print, options: { topics?: string[]; watch?: boolean; intervalMs?: number; isTty?: boolean } = {}): Promise<Progress> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    let last = await groupProgress(admin, groupId, options.topics);
    if (last.topics.length === 0) throw new Error(`group ${groupId} has no running member to read its topics from; pass --topics`);
    print(`${groupId} over ${last.topics.join(', ')}`);
    print(renderBar(last));
    let lastAt = Date.now();
    while (options.watch && last.done < last.total) {
      await new Promise((r) => setTimeout(r, options.intervalMs ?? 2000));
      const now = await groupProgress(admin, groupId, last.topics);
      const rate = Number(now.done - last.done) / ((Date.now() - lastAt) / 1000);
      const eta = rate > 0 ? `${Math.ceil(Number(now.total - now.done) / rate)} s left` : 'waiting';
      const line = renderBar(now, 30, `${Math.round(rate).toLocaleString('en-US')} events/s, ${eta}`);
      print(options.isTty ? `\x1b[1A\x1b[2K${line}` : line);
      last = now;
      lastAt = Date.now();
    }
    return last;
  } finally {
    await admin.disconnect();
  }
}
