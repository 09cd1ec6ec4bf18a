import type { IHeaders } from 'kafkajs';
import { decodeEvent, describeIssues, type AnyEvent, type EventEnvelope } from '@jobstream/contracts';
import { backoffDelay, sleep } from './backoff.util';
import { PermanentEventError, isTransientError } from './errors';

export interface ConsumedMessage {
  topic: string;
  partition: number;
  offset: string;
  /** The record's Kafka timestamp (ms since the epoch, as a string), when known. */
  timestamp?: string;
  key: Buffer | null;
  value: Buffer | null;
  headers?: IHeaders;
}

/** A validated event with where it came from. */
export interface ConsumedEvent<E extends EventEnvelope = AnyEvent> {
  event: E;
  topic: string;
  partition: number;
  offset: string;
  /** The record's Kafka timestamp (ms since the epoch, as a string), when known. */
  timestamp?: string;
}

/**
 * Applies a whole slice of events. It must be idempotent (the slice may be redelivered) and may
 * only resolve once its effects are durable: the offsets are committed right after.
 */
export type BatchHandler = (events: ConsumedEvent[]) => Promise<void>;

export interface DeadLetter {
  message: ConsumedMessage;
  error: string;
  attempts: number;
}

export interface BatchProcessorDeps {
  handler: BatchHandler;
  deadLetter: (letters: DeadLetter[]) => Promise<void>;
  maxRetries: number;
  retryBaseMs: number;
  /** False once the consumer is stopping or lost the partition: give up without committing. */
  shouldContinue: () => boolean;
  heartbeat: () => Promise<void>;
  onError: (err: unknown, context: { attempt: number; transient: boolean; eventIds: string[] }) => void;
  /** An event read with fields left out by a legacy rule (see @jobstream/contracts legacy.ts). */
  onLeftOut?: (message: ConsumedMessage, leftOut: string) => void;
  sleep?: (ms: number) => Promise<void>;
}

export type SliceOutcome = { done: true; handled: number; deadLettered: number } | { done: false };

/**
 * Processes one slice of messages from one partition: invalid messages go to the dead-letter
 * topic, valid ones to the handler as a batch. A failing batch is retried, then split so a
 * poison event can't block its partition; dependency outages are retried until they pass.
 * `done: true` means every message's effect (or dead letter) is durable and the offset may be committed.
 */
export async function processSlice(messages: ConsumedMessage[], deps: BatchProcessorDeps): Promise<SliceOutcome> {
  const wait = deps.sleep ?? sleep;
  const valid: ConsumedEvent[] = [];
  const invalid: DeadLetter[] = [];
  for (const message of messages) {
    const decoded = decodeEvent(message.topic, message.value);
    if (decoded.ok && decoded.leftOut.length > 0) deps.onLeftOut?.(message, describeIssues(decoded.leftOut));
    if (decoded.ok) valid.push({ event: decoded.value, topic: message.topic, partition: message.partition, offset: message.offset, ...(message.timestamp ? { timestamp: message.timestamp } : {}) });
    else invalid.push({ message, error: `invalid event: ${describeIssues(decoded.issues)}`, attempts: 0 });
  }
  const byOffset = new Map(messages.map((m) => [m.offset, m]));

  /** Runs `fn` until it succeeds, with transient failures retried for as long as we may continue. */
  async function attempt(fn: () => Promise<void>, eventIds: string[]): Promise<{ ok: true } | { ok: false; error: unknown; attempts: number } | 'stopped'> {
    let failures = 0;
    let transientFailures = 0;
    for (;;) {
      try {
        await fn();
        return { ok: true };
      } catch (err) {
        const transient = isTransientError(err);
        deps.onError(err, { attempt: failures + transientFailures + 1, transient, eventIds });
        if (transient) transientFailures++;
        else failures++;
        if (!transient && (err instanceof PermanentEventError || failures > deps.maxRetries)) {
          return { ok: false, error: err, attempts: failures };
        }
        const delay = backoffDelay(transient ? transientFailures : failures, deps.retryBaseMs, transient ? 10_000 : 30_000);
        for (let waited = 0; waited < delay; waited += 1000) {
          if (!deps.shouldContinue()) return 'stopped';
          await wait(Math.min(1000, delay - waited));
          await deps.heartbeat().catch(() => undefined);
        }
        if (!deps.shouldContinue()) return 'stopped';
      }
    }
  }

  if (invalid.length > 0) {
    const parked = await attempt(() => deps.deadLetter(invalid), []);
    if (parked === 'stopped' || !parked.ok) return { done: false };
  }

  let deadLettered = invalid.length;
  if (valid.length > 0) {
    const whole = await attempt(() => deps.handler(valid), valid.map((e) => e.event.id));
    if (whole === 'stopped') return { done: false };
    if (!whole.ok) {
      // Isolate the poison: apply the events one by one, in order, parking only those that fail.
      // When the handler named the events at fault, the others are applied again as one batch and
      // only the named ones are tried alone (a slice of 1,000 with one bad document costs two
      // batches, not 1,000 single events).
      let suspects = valid;
      const named = faultyOf(whole.error, valid);
      if (named) {
        const rest = valid.filter((e) => !named.has(e.event.id));
        const others = await attempt(() => deps.handler(rest), rest.map((e) => e.event.id));
        if (others === 'stopped') return { done: false };
        if (others.ok) suspects = valid.filter((e) => named.has(e.event.id));
      }
      for (const one of suspects) {
        const single = valid.length === 1 ? whole : await attempt(() => deps.handler([one]), [one.event.id]);
        if (single === 'stopped') return { done: false };
        if (!single.ok) {
          const err = single.error;
          const letter: DeadLetter = {
            message: byOffset.get(one.offset)!,
            error: `${(err as Error)?.name ?? 'Error'}: ${(err as Error)?.message ?? String(err)}`,
            attempts: single.attempts,
          };
          const parked = await attempt(() => deps.deadLetter([letter]), [one.event.id]);
          if (parked === 'stopped' || !parked.ok) return { done: false };
          deadLettered++;
        }
      }
    }
  }
  return { done: true, handled: valid.length, deadLettered };
}

/** The events a PermanentEventError names, when they are some (not all, not none) of the slice's. */
function faultyOf(err: unknown, valid: readonly ConsumedEvent[]): Set<string> | undefined {
  if (!(err instanceof PermanentEventError) || !err.eventIds) return undefined;
  const inSlice = new Set(valid.map((e) => e.event.id));
  const named = new Set(err.eventIds.filter((id) => inSlice.has(id)));
  return named.size > 0 && named.size < valid.length ? named : undefined;
}
