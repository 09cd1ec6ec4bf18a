import { Inject, Injectable } from '@nestjs/common';
import type { Admin, Kafka } from 'kafkajs';
import type { TopicName } from '@jobstream/contracts';
import { KAFKA, MESSAGING_OPTIONS, groupIdOfProjection, type MessagingOptions } from './messaging.tokens';

/** Per partition of a topic: the offset a group must have committed to have seen everything before. */
export type Watermark = ReadonlyMap<TopicName, ReadonlyMap<number, bigint>>;

/**
 * Where this service's consumer groups stand against a point in the topics. A read whose answer
 * must not depend on how far a projection lags (an application decided on the projection, a digest
 * of yesterday) takes a mark first and waits until `behind` is empty: then everything the mark
 * covers has been projected, however late.
 */
@Injectable()
export class GroupWatermarks {
  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
  ) {}

  /**
   * Per partition, the first offset stamped at or after `timestampMs` (producer CreateTime), or the
   * partition's end when there is none yet: every record stamped before then lies below it.
   */
  stampedBefore(timestampMs: number, topics: readonly TopicName[]): Promise<Watermark> {
    return this.marks(topics, async (admin, topic) => admin.fetchTopicOffsetsByTimestamp(topic, timestampMs));
  }

  /** Per partition, its end now: every record the topics hold at this moment lies below it. */
  now(topics: readonly TopicName[]): Promise<Watermark> {
    return this.marks(topics, async (admin, topic) => (await admin.fetchTopicOffsets(topic)).map((p) => ({ partition: p.partition, offset: p.high })));
  }

  /** Partitions (as `topic[p] committed/needed`) a group of this service has not reached yet; empty when it has. */
  async behind(mark: Watermark, projection = ''): Promise<string[]> {
    const groupId = groupIdOfProjection(this.options, projection);
    return this.withAdmin(async (admin) => missing(mark, await admin.fetchOffsets({ groupId, topics: [...mark.keys()] })));
  }

  private marks(topics: readonly TopicName[], read: (admin: Admin, topic: TopicName) => Promise<{ partition: number; offset: string }[]>): Promise<Watermark> {
    return this.withAdmin(async (admin) => {
      const out = new Map<TopicName, Map<number, bigint>>();
      for (const topic of topics) out.set(topic, new Map((await read(admin, topic)).map((p) => [p.partition, BigInt(p.offset)])));
      return out;
    });
  }

  private async withAdmin<T>(fn: (admin: Admin) => Promise<T>): Promise<T> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      return await fn(admin);
    } finally {
      await admin.disconnect();
    }
  }
}

/** Pure comparison of a watermark with a group's committed offsets (-1 = nothing committed). */
export function missing(mark: Watermark, committed: readonly { topic: string; partitions: readonly { partition: number; offset: string }[] }[]): string[] {
  const out: string[] = [];
  for (const [topic, partitions] of mark) {
    const got = new Map((committed.find((t) => t.topic === topic)?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)]));
    for (const [partition, needed] of partitions) {
      const at = got.get(partition) ?? -1n;
      if (needed > 0n && at < needed) out.push(`${topic}[${partition}] ${at < 0n ? 'none' : at.toString()}/${needed.toString()}`);
    }
  }
  return out;
}
