import { Injectable } from '@nestjs/common';
import { Topics, type TopicName } from '@jobstream/contracts';
import { GroupWatermarks, type Watermark } from '@jobstream/messaging/group-watermark';

export type { Watermark } from '@jobstream/messaging/group-watermark';

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
  constructor(private readonly groups: GroupWatermarks) {}

  /** Per partition, the first offset stamped after `timestampMs` plus the skew allowed, or the partition's end. */
  before(timestampMs: number, topics: readonly TopicName[] = DECISION_INPUT_TOPICS): Promise<Watermark> {
    return this.groups.stampedBefore(timestampMs + CLOCK_SKEW_MS, topics);
  }

  /** Partitions (as `topic[p] committed/needed`) the projection group has not reached yet; empty when it has. */
  behind(mark: Watermark): Promise<string[]> {
    return this.groups.behind(mark);
  }
}
