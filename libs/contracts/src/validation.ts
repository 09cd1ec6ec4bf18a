import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { Static, TSchema } from '@sinclair/typebox';
import { EventSchemas, isEventType, topicSpec, type EventType } from './catalog';
import { EnvelopeSchema, SCHEMA_VERSION, type AnyEvent } from './envelope';
import { readLegacyFields } from './legacy';

export interface ValidationIssue {
  /** JSON pointer of the offending field, e.g. `/group/id`; empty for the document itself. */
  path: string;
  message: string;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; issues: ValidationIssue[] };

export const ajv = new Ajv({ allErrors: true, strict: false, coerceTypes: false, useDefaults: false });
addFormats(ajv);

const compiled = new WeakMap<TSchema, ValidateFunction>();

function compile(schema: TSchema): ValidateFunction {
  let fn = compiled.get(schema);
  if (!fn) {
    fn = ajv.compile(schema);
    compiled.set(schema, fn);
  }
  return fn;
}

export function toIssues(errors: readonly ErrorObject[] | null | undefined): ValidationIssue[] {
  return (errors ?? []).map((e) => {
    if (e.keyword === 'additionalProperties') {
      const extra = (e.params as { additionalProperty: string }).additionalProperty;
      return { path: `${e.instancePath}/${extra}`, message: 'is not an allowed field' };
    }
    if (e.keyword === 'required') {
      const missing = (e.params as { missingProperty: string }).missingProperty;
      return { path: `${e.instancePath}/${missing}`, message: 'is required' };
    }
    return { path: e.instancePath, message: e.message ?? 'is invalid' };
  });
}

/**
 * Validates any value against a TypeBox schema; the one entry point used by HTTP and consumers.
 * `rules` are those between fields that a schema can't state, checked once the schema holds.
 */
export function validate<T extends TSchema>(schema: T, value: unknown, rules?: (value: Static<T>) => ValidationIssue[]): Validated<Static<T>> {
  const result = checked(schema, value, true);
  if (!result.ok || !rules) return result;
  const broken = rules(result.value);
  return broken.length === 0 ? result : { ok: false, issues: broken };
}

function checked<T extends TSchema>(schema: T, value: unknown, text: boolean): Validated<Static<T>> {
  const fn = compile(schema);
  const issues = fn(value) ? [] : toIssues(fn.errors);
  if (text) issues.push(...textIssues(value));
  return issues.length === 0 ? { ok: true, value: value as Static<T> } : { ok: false, issues };
}

// C0 controls other than tab, newline and carriage return, and DEL: nothing a person types into a
// form; NUL in particular truncates strings in C libraries, mail headers and logs downstream.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const escapePointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');
// Anything either of the two could match (any surrogate, paired or not): one test per string.
// eslint-disable-next-line no-control-regex -- as above
const SUSPECT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uD800-\uDFFF]/;

/**
 * Whether some string or key might have a text issue. Every event a consumer reads and every HTTP
 * body is checked, and nearly all are clean: this walk allocates nothing (no paths, no arrays),
 * where building the issues' paths for every field was a tenth of a consumer's CPU in the lag bench.
 */
function mayHaveTextIssues(value: unknown, depth: number): boolean {
  if (typeof value === 'string') return SUSPECT.test(value);
  if (typeof value !== 'object' || value === null || depth > 64) return false;
  if (Array.isArray(value)) {
    for (const item of value) if (mayHaveTextIssues(item, depth + 1)) return true;
    return false;
  }
  for (const key of Object.keys(value)) {
    if (SUSPECT.test(key) || mayHaveTextIssues((value as Record<string, unknown>)[key], depth + 1)) return true;
  }
  return false;
}

/**
 * Strings (values and keys) with control characters or lone UTF-16 surrogates, which can't be
 * encoded as UTF-8 and would be stored or mailed as replacement characters.
 */
export function textIssues(value: unknown, path = '', depth = 0): ValidationIssue[] {
  if (depth === 0 && !mayHaveTextIssues(value, 0)) return [];
  if (typeof value === 'string') {
    if (CONTROL.test(value)) return [{ path, message: 'contains a control character' }];
    if (LONE_SURROGATE.test(value)) return [{ path, message: 'contains malformed unicode (a lone surrogate)' }];
    return [];
  }
  // Schemas bound nesting; past this depth the schema has already rejected the document.
  if (typeof value !== 'object' || value === null || depth > 64) return [];
  const issues: ValidationIssue[] = [];
  for (const [key, item] of Object.entries(value)) {
    const at = `${path}/${escapePointer(key)}`;
    if (CONTROL.test(key) || LONE_SURROGATE.test(key)) issues.push({ path: at, message: 'has a field name with a control character or malformed unicode' });
    issues.push(...textIssues(item, at, depth + 1));
  }
  return issues;
}

export function describeIssues(issues: readonly ValidationIssue[]): string {
  return issues.map((i) => `${i.path || '(root)'} ${i.message}`).join('; ');
}

/**
 * The schema without `additionalProperties: false` anywhere. Within a major version producers may
 * add fields at any depth, so what we publish and what our consumers check must let unknown nested
 * fields through; HTTP bodies keep the strict TypeBox objects (a typo there is the caller's to fix).
 */
export function openSchema<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => openSchema(v) as unknown) as T;
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === 'additionalProperties' && v === false) continue;
    out[k] = openSchema(v);
  }
  return out as T;
}

const openEventSchemas = new Map<EventType, TSchema>();
function openEventSchema(type: EventType): TSchema {
  let schema = openEventSchemas.get(type);
  if (!schema) {
    // Without the $ids: ajv registers those globally, and the strict originals already hold them.
    schema = openSchema(JSON.parse(JSON.stringify(EventSchemas[type]), (key, v: unknown) => (key === '$id' ? undefined : v)) as TSchema);
    openEventSchemas.set(type, schema);
  }
  return schema;
}

/** A decoded event, and what legacy rules left out of it (see legacy.ts). */
export type DecodedEvent = { ok: true; value: AnyEvent; leftOut: ValidationIssue[] } | { ok: false; issues: ValidationIssue[] };

/**
 * Decodes and validates one Kafka message value as read from `topic`: the envelope, the event
 * type belonging to that topic, the major version this code understands, and the data schema.
 */
export function decodeEvent(topic: string, value: Buffer | null): DecodedEvent {
  if (!value || value.length === 0) return { ok: false, issues: [{ path: '', message: 'message has no value' }] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString('utf8'));
  } catch (err) {
    return { ok: false, issues: [{ path: '', message: `value is not JSON: ${(err as Error).message}` }] };
  }
  const envelope = validate(EnvelopeSchema, parsed);
  if (!envelope.ok) return envelope;
  const { type, schemaVersion } = envelope.value;
  if (!isEventType(type)) return { ok: false, issues: [{ path: '/type', message: `unknown event type ${type}` }] };
  const spec = topicSpec(topic);
  if (spec && !spec.events.includes(type)) {
    return { ok: false, issues: [{ path: '/type', message: `event type ${type} does not belong on topic ${topic}` }] };
  }
  if (schemaVersion !== SCHEMA_VERSION) {
    return { ok: false, issues: [{ path: '/schemaVersion', message: `unsupported schema version ${schemaVersion}` }] };
  }
  const leftOut = readLegacyFields(type, envelope.value.data);
  // The envelope's check already looked at the text of the whole event, data included.
  const data = checked(openEventSchema(type), envelope.value.data, false);
  if (!data.ok) return { ok: false, issues: data.issues.map((i) => ({ ...i, path: `/data${i.path}` })) };
  return { ok: true, value: parsed as AnyEvent, leftOut };
}
