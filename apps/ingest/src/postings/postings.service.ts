import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { createEvent, type AnyEvent } from '@jobstream/contracts';
import { EventPublisher } from '@jobstream/messaging/event-publisher';
import { ServiceUnavailableException } from '@jobstream/platform/http-errors';
import { decide, toSnapshot, type PostingCommand, type PostingEventType, type PostingState } from './posting-lifecycle.util';
import { PostingRegistryRepository, type PendingWrite, type PostingRecord } from './posting-registry.repository';

export type WriteOutcome = 'created' | 'updated' | 'unchanged';
export interface WriteResult {
  postingId: string;
  revision: number;
  status: PostingState['status'];
  result: WriteOutcome;
  eventIds: string[];
}

/** A decided write whose events still have to be acknowledged by the broker. */
interface Reserved {
  postingId: string;
  pending: PendingWrite;
  result: 'created' | 'updated';
}

const MAX_ATTEMPTS = 8;
const RESERVE_CONCURRENCY = 16;

function eventsFor(next: PostingState, eventType: PostingEventType, hiringTeamChanged: boolean): AnyEvent[] {
  // The four posting events share one snapshot schema; the type says what happened.
  const events: AnyEvent[] = [{ ...createEvent('posting.updated', toSnapshot(next), 'ingest'), type: eventType }];
  if (hiringTeamChanged) {
    const team = { postingId: next.postingId, companyId: next.companyId, revision: next.revision, postingTitle: next.content.title, members: next.hiringTeam };
    events.push(createEvent('hiring-team.updated', team, 'ingest'));
  }
  return events;
}

const pendingFor = (state: PostingState, events: AnyEvent[]): PendingWrite => ({
  revision: state.revision,
  events: events.map((e) => JSON.stringify(e)),
  state,
  at: new Date().toISOString(),
});

/**
 * Posting writes without transactions: reserve the next revision in the registry (compare-and-set),
 * publish, then commit. A write whose publish was not acknowledged stays pending and is published
 * by the next writer of that posting, so the registry never commits a state the topic lacks, and
 * revisions on the topic only ever go up.
 */
@Injectable()
export class PostingsService {
  constructor(
    private readonly registry: PostingRegistryRepository,
    private readonly publisher: EventPublisher,
  ) {}

  newPostingId(): string {
    return uuidv7();
  }

  async get(postingId: string): Promise<PostingRecord> {
    const record = await this.registry.findById(postingId);
    if (!record) throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: `No posting ${postingId}` });
    return record;
  }

  /** One write: decide, reserve, publish, commit. */
  async write(command: PostingCommand, postingId?: string): Promise<WriteResult> {
    const step = await this.reserve(command, postingId);
    if ('result' in step && !('pending' in step)) return step;
    const [result] = await this.flush([step]);
    return result;
  }

  /**
   * Many creates (an ATS feed): every item is decided and reserved first, then all their events
   * go to the broker in one acknowledged batch, then they are committed.
   */
  async writeMany(commands: Extract<PostingCommand, { kind: 'create' }>[]): Promise<(WriteResult | Error)[]> {
    const steps: (Reserved | WriteResult | Error)[] = [];
    for (let start = 0; start < commands.length; start += RESERVE_CONCURRENCY) {
      const chunk = commands.slice(start, start + RESERVE_CONCURRENCY);
      steps.push(...(await Promise.all(chunk.map((c) => this.reserve(c).catch((err: unknown) => (err instanceof Error ? err : new Error(String(err))))))));
    }
    const reserved = steps.filter((s): s is Reserved => !(s instanceof Error) && 'pending' in s);
    const flushed = reserved.length > 0 ? await this.flush(reserved) : [];
    const byPosting = new Map(flushed.map((r) => [r.postingId, r]));
    return steps.map((s) => (s instanceof Error || !('pending' in s) ? s : byPosting.get(s.postingId)!));
  }

  private async reserve(command: PostingCommand, postingId?: string): Promise<Reserved | WriteResult> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      let record: PostingRecord | null;
      if (command.kind === 'create') {
        record = await this.registry.findByExternalId(command.companyId, command.externalId);
        if (!record) {
          const decision = decide(null, command, new Date());
          if (decision.outcome !== 'change') throw new Error('creating a posting always changes something');
          const pending = pendingFor(decision.next, eventsFor(decision.next, decision.eventType, true));
          // Losing this race means another request just created it: loop and treat ours as the repeat.
          if (await this.registry.insertPending(decision.next, pending)) return { postingId: decision.next.postingId, pending, result: 'created' };
          continue;
        }
      } else {
        record = await this.get(postingId!);
      }
      if (record.pending) {
        // An earlier write was reserved but never confirmed: finish it before deciding on top of it.
        await this.flush([{ postingId: record._id, pending: record.pending, result: 'updated' }]);
        continue;
      }
      const current = record.state!;
      const cmd = command.kind === 'create' ? { ...command, postingId: record._id } : command;
      const decision = decide(current, cmd, new Date());
      if (decision.outcome === 'conflict') throw new ConflictException({ statusCode: 409, error: 'Conflict', message: decision.message });
      if (decision.outcome === 'unchanged') return { postingId: record._id, revision: current.revision, status: current.status, result: 'unchanged', eventIds: [] };
      const pending = pendingFor(decision.next, eventsFor(decision.next, decision.eventType, decision.hiringTeamChanged));
      if (await this.registry.reserve(record._id, current.revision, pending)) return { postingId: record._id, pending, result: 'updated' };
    }
    throw new ServiceUnavailableException(`Posting ${postingId ?? ''} is being written concurrently; retry`, 1);
  }

  private async flush(reserved: Reserved[]): Promise<WriteResult[]> {
    const events = reserved.flatMap((r) => r.pending.events.map((e) => JSON.parse(e) as AnyEvent));
    await this.publisher.publish(events);
    await this.registry.commit(reserved);
    return reserved.map((r) => ({
      postingId: r.postingId,
      revision: r.pending.revision,
      status: r.pending.state.status,
      result: r.result,
      eventIds: r.pending.events.map((e) => (JSON.parse(e) as AnyEvent).id),
    }));
  }
}
