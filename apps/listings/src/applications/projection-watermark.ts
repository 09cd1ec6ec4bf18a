import { Inject, Injectable } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { Topics, type TopicName } from '@jobstream/contracts';
import { KAFKA, MESSAGING_OPTIONS, type MessagingOptions } from '@jobstream/messaging/messaging.module';

/** Per partition of a topic: the offset a projection must have committed to have seen everything before. */
export type Watermark = ReadonlyMap<TopicName, ReadonlyMap<number, bigint>>;

/** The topics whose projection an application without registry facts is decided on. */
export const DECISION_INPUT_TOPICS: readonly TopicName[] = [Topics.postings, Topics.companies];

/**
 * Producers stamp records with their own clock (CreateTime), and ingest replicas' clocks may
 * differ: a posting acknowledged just before an application may carry a slightly later stamp.
 */
export const CLOCK_SKEW_MS = 5_000;

/**
 * Where listings' projection group stands against the topics. An application that carries no
 * registry facts (published before ingest recorded them) is decided on the projection, and only
 * once the projection has committed every record the topics held from before the application was
 * made (its Kafka timestamp, plus the clock skew allowed): then anything acknowledged before the
 * application has been projected, however far behind the projection was. A replay waits for the
 * same records, not for the whole topic.
 */
@Injectable()
export class ProjectionWatermark {
  private readonly projectionGroup: string;

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(MESSAGING_OPTIONS) options: MessagingOptions,
  ) {
    this.projectionGroup = options.consumer?.KAFKA_GROUP_ID ?? options.service;
  }

  /**
   * Per partition, the first offset stamped after `timestampMs` (plus the skew allowed), or the
   * partition's end when there is none yet: every record acknowledged before then lies below it.
   */
  async before(timestampMs: number, topics: readonly TopicName[] = DECISION_INPUT_TOPICS): Promise<Watermark> {
    return this.withAdmin(async (admin) => {
      const out = new Map<TopicName, Map<number, bigint>>();
      for (const topic of topics) {
        const offsets = await admin.fetchTopicOffsetsByTimestamp(topic, timestampMs + CLOCK_SKEW_MS);
        out.set(topic, new Map(offsets.map((p) => [p.partition, BigInt(p.offset)])));
      }
      return out;
    });
  }

  /** Partitions (as `topic[p] committed/needed`) the projection group has not reached yet; empty when it has. */
  async behind(mark: Watermark): Promise<string[]> {
    return this.withAdmin(async (admin) => {
      const committed = await admin.fetchOffsets({ groupId: this.projectionGroup, topics: [...mark.keys()] });
      return missing(mark, committed);
    });
  }

  private async withAdmin<T>(fn: (admin: ReturnType<Kafka['admin']>) => Promise<T>): Promise<T> {
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
