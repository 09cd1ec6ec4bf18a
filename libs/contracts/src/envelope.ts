import { Type, type Static } from '@sinclair/typebox';
import { createHash } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { EventSchemas, topicOf, type EventData, type EventType } from './catalog';

/** Major version of the event contract; within it, changes are additive only. */
export const SCHEMA_VERSION = 1;

export const EnvelopeSchema = Type.Object(
  {
    id: Type.String({
      format: 'uuid',
      description:
        'UUIDv7 event id (time ordered); consumers dedupe on it. Events that are a function of an earlier event (application outcomes) get a derived UUIDv7: the 48-bit millisecond time of what they derive from, the rest from SHA-256 of a name, so re-publishing one yields the same id',
    }),
    type: Type.String({ minLength: 1, maxLength: 100, description: 'Event type, e.g. posting.published' }),
    schemaVersion: Type.Integer({ minimum: 1, description: 'Major version of the event schema' }),
    occurredAt: Type.String({ format: 'date-time' }),
    source: Type.String({ minLength: 1, maxLength: 100, description: 'Service that produced the event' }),
    key: Type.String({ minLength: 1, maxLength: 200, description: 'Kafka key of the event' }),
    data: Type.Object({}, { description: 'The event payload; its schema depends on type' }),
  },
  { $id: 'EventEnvelope', title: 'Event envelope' },
);

export interface EventEnvelope<T extends EventType = EventType> {
  id: string;
  type: T;
  schemaVersion: number;
  occurredAt: string;
  source: string;
  key: string;
  data: EventData<T>;
}

/** Distributes over the catalog so `switch (event.type)` narrows `event.data`. */
export type AnyEvent = { [T in EventType]: EventEnvelope<T> }[EventType];

export type EnvelopeShape = Static<typeof EnvelopeSchema>;

export function createEvent<T extends EventType>(
  type: T,
  data: EventData<T>,
  source: string,
  options: { id?: string; occurredAt?: Date } = {},
): EventEnvelope<T> {
  const topic = topicOf(type);
  const key = (data as Record<string, unknown>)[topic.keyField];
  if (typeof key !== 'string' || key.length === 0) {
    throw new Error(`event ${type} needs data.${topic.keyField} as its key`);
  }
  return {
    id: options.id ?? uuidv7(),
    type,
    schemaVersion: SCHEMA_VERSION,
    occurredAt: (options.occurredAt ?? new Date()).toISOString(),
    source,
    key,
    data,
  };
}

export { EventSchemas };

/**
 * A UUIDv7 that is a function of (name, time): the 48-bit big-endian millisecond timestamp, then
 * the version and variant bits over the first bytes of SHA-256(name). Still time-ordered like
 * every event id, and stable: re-publishing a derived event yields the same id, which downstream
 * dedupe absorbs.
 */
export function derivedUuidV7(name: string, at: Date): string {
  const ms = at.getTime();
  if (!Number.isFinite(ms) || ms < 0 || ms >= 2 ** 48) throw new Error(`derivedUuidV7: ${at.toString()} is outside the UUIDv7 time range`);
  const bytes = createHash('sha256').update(name, 'utf8').digest().subarray(0, 16);
  bytes.writeUIntBE(ms, 0, 6);
  bytes[6] = 0x70 | (bytes[6] & 0x0f);
  bytes[8] = 0x80 | (bytes[8] & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
