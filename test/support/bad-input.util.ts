import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ajv } from '@jobstream/contracts';

/** A JSON Schema as the OpenAPI documents carry it (TypeBox output, made plain). */
export interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  format?: string;
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  default?: unknown;
}

export interface BadCase {
  name: string;
  /** A JSON-serializable body, or a raw string sent as-is with `contentType`. */
  body: unknown;
  raw?: boolean;
  contentType?: string;
  /** What the error must name: a field path or a phrase. */
  names?: string;
}

const CANDIDATE_STRINGS = ['badinput1', 'bad-input-1', 'Bad Input', 'a', 'A1', '1', 'SGD', 'USD', 'Senior', 'L3', 'https://example.com/x', '2026-01-01', '2026-01-01T00:00:00.000Z', 'someone@example.com'];

function typeOf(s: Schema): string | undefined {
  if (Array.isArray(s.type)) return s.type.find((t) => t !== 'null');
  if (s.type) return s.type;
  if (s.properties) return 'object';
  return undefined;
}

/** A value the schema accepts, built from its constraints (best effort; checked with Ajv after). */
export function exampleOf(s: Schema, depth = 0): unknown {
  if (s.const !== undefined) return s.const;
  if (s.enum?.length) return s.enum[0];
  if (s.default !== undefined) return s.default;
  const alt = s.anyOf ?? s.oneOf;
  if (alt?.length) return exampleOf(alt.find((a) => typeOf(a) !== 'null') ?? alt[0], depth);
  switch (typeOf(s)) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const key of s.required ?? []) out[key] = exampleOf(s.properties?.[key] ?? {}, depth + 1);
      return out;
    }
    case 'array':
      return Array.from({ length: Math.max(1, s.minItems ?? 0) }, () => exampleOf(s.items ?? {}, depth + 1));
    case 'integer':
    case 'number':
      return s.minimum !== undefined ? Math.max(s.minimum, Math.min(s.maximum ?? s.minimum, 1)) : 1;
    case 'boolean':
      return true;
    case 'string': {
      const ok = (v: string) =>
        (s.pattern === undefined || new RegExp(s.pattern, 'u').test(v)) && v.length >= (s.minLength ?? 0) && v.length <= (s.maxLength ?? Infinity) && ajv.validate(s, v);
      return CANDIDATE_STRINGS.find(ok) ?? 'x'.repeat(Math.max(1, s.minLength ?? 1));
    }
    default:
      return 'x';
  }
}

/** The example, if the schema really accepts it. */
export function validExample(s: Schema): Record<string, unknown> | undefined {
  const value = exampleOf(s);
  return ajv.validate(s, value) && typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
}

const nest = (levels: number): unknown => {
  let v: unknown = 'deep';
  for (let i = 0; i < levels; i++) v = { a: v };
  return v;
};

/** A value of another JSON type than the field's. */
function wrongTypeFor(s: Schema): unknown {
  switch (typeOf(s)) {
    case 'string':
      return 12345;
    case 'integer':
    case 'number':
      return '12';
    case 'boolean':
      return 'yes';
    case 'array':
      return { length: 1 };
    case 'object':
      return ['x'];
    default:
      return { $gt: '' };
  }
}

/**
 * Bad bodies for one operation: generic ones, and per field (of a valid example) the wrong type, an
 * operator object, an oversized string or array, and odd unicode. Each must be refused with a 4xx.
 */
export function badBodies(schema: Schema | undefined): BadCase[] {
  const cases: BadCase[] = [
    { name: 'malformed JSON', body: '{"name": "x",', raw: true, contentType: 'application/json', names: 'JSON' },
    { name: 'not JSON at all', body: 'name=x', raw: true, contentType: 'text/plain' },
    { name: 'a JSON array instead of an object', body: [1, 2, 3] },
    { name: 'a JSON string instead of an object', body: 'hello' },
    { name: 'a 200,000-element array', body: Array.from({ length: 200_000 }, (_, i) => i) },
    { name: 'deep nesting (2,000 levels)', body: { deep: nest(2000) }, names: '/deep' },
    { name: 'prototype pollution keys', body: JSON.parse('{"__proto__": {"admin": true}, "constructor": {"prototype": {"x": 1}}}') as unknown, names: 'not an allowed field' },
    { name: 'an operator object as the body', body: { $where: 'sleep(1000)', $gt: '' }, names: '$where' },
  ];
  const base = schema ? validExample(schema) : undefined;
  if (!base || !schema?.properties) return cases;
  cases.push({ name: 'a valid body plus an unknown field', body: { ...base, isAdmin: true }, names: '/isAdmin' });
  for (const [field, fs] of Object.entries(schema.properties)) {
    const path = `/${field}`;
    const withField = (value: unknown) => ({ ...base, [field]: value });
    cases.push({ name: `${path}: wrong type`, body: withField(wrongTypeFor(fs)), names: path });
    cases.push({ name: `${path}: a query operator object`, body: withField({ $ne: null, $regex: '.*' }), names: path });
    const t = typeOf(fs);
    if (t === 'string' && !fs.enum && fs.const === undefined) {
      cases.push({ name: `${path}: 300,000 characters`, body: withField('x'.repeat(300_000)), names: path });
      cases.push({ name: `${path}: a NUL character`, body: withField(`${String(exampleOf(fs))}\u0000`), names: path });
      cases.push({ name: `${path}: a lone surrogate`, body: withField(`${String(exampleOf(fs))}\ud800`), names: path });
    }
    if (t === 'array') {
      // Past the field's own bound, yet under the body limit (past that, 413 is the right answer).
      const n = (fs.maxItems ?? 5_000) + 1;
      cases.push({ name: `${path}: ${n} items`, body: withField(Array.from({ length: n }, () => exampleOf(fs.items ?? {}))), names: path });
    }
    if (t === 'integer' || t === 'number') {
      cases.push({ name: `${path}: not finite`, body: withField('NaN'), names: path });
      cases.push({ name: `${path}: 1e308`, body: withField(1e308), names: path });
    }
  }
  return cases;
}

/** Odd path ids: injections, traversal, unicode, huge. */
export const BAD_IDS = ['$where', '{"$gt":""}', '..%2F..%2Fetc%2Fpasswd', '%00', '%E2%80%AE', '%F0%9F%98%80', 'x'.repeat(5000), "1' OR '1'='1"];

/** What an error answer must be on every service: RFC 9457 problem+json, uncacheable, legacy members kept. */
export function expectProblem(res: { status: number; headers: Record<string, string | undefined>; body: unknown }, url: string): string | undefined {
  const type = res.headers['content-type'] ?? '';
  if (!type.startsWith('application/problem+json')) return `content-type is ${type}, not application/problem+json`;
  if (res.headers['cache-control'] !== 'no-store') return `cache-control is ${res.headers['cache-control']}, not no-store`;
  const b = res.body as Record<string, unknown>;
  const path = url.split('?')[0];
  const missing = [
    typeof b.type === 'string' && b.type.length > 0 ? '' : 'type',
    typeof b.title === 'string' && b.title.length > 0 ? '' : 'title',
    b.status === res.status ? '' : 'status',
    typeof b.detail === 'string' && b.detail.length > 0 ? '' : 'detail',
    // The client percent-encodes what the test wrote raw (quotes, spaces), so either spelling is the path.
    b.instance === path || b.instance === new URL(path, 'http://h').pathname ? '' : 'instance',
    b.statusCode === res.status ? '' : 'statusCode',
    b.error === b.title ? '' : 'error (= title)',
    b.message === b.detail ? '' : 'message (= detail)',
  ].filter(Boolean);
  return missing.length ? `problem members wrong or missing: ${missing.join(', ')}: ${JSON.stringify(b).slice(0, 300)}` : undefined;
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string | undefined>;
  body: unknown;
}

/**
 * Sends bytes exactly as given (superagent would JSON-serialise a Buffer under a JSON content type),
 * so a broken gzip stream or Latin-1 bytes reach the server as they are.
 */
export async function rawRequest(server: Server, method: string, path: string, headers: Record<string, string>, body: Buffer): Promise<RawAnswer> {
  const listening = server.listening;
  if (!listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    return await new Promise<RawAnswer>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, method, path, headers: { ...headers, 'content-length': String(body.length) } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text) as unknown;
          } catch {
            // not JSON: the caller's assertions say so
          }
          const flat: Record<string, string | undefined> = {};
          for (const [k, v] of Object.entries(res.headers)) flat[k] = Array.isArray(v) ? v.join(', ') : v;
          resolve({ status: res.statusCode ?? 0, headers: flat, body: parsed });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  } finally {
    if (!listening) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
