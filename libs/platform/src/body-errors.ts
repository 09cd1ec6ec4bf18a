import type { IncomingMessage } from 'node:http';
import { PROBLEM_TYPES, type ProblemInput } from './problem';

/** An error the body parser raises, or one our `verify` throws through it. */
export interface BodyParserError {
  status?: number;
  type?: string;
  limit?: number;
  code?: string;
  message?: string;
  encoding?: string;
  charset?: string;
}

/** Thrown from `verify` so body-parser passes our status and type through (it keeps an error's own status). */
export class InvalidUtf8Error extends Error {
  readonly status = 400;
  readonly type = 'entity.invalid.utf8';
  constructor(readonly offset: number) {
    super(`Request body is not valid UTF-8 (first bad byte at offset ${offset})`);
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Offset of the first byte that breaks UTF-8, or -1. The fatal decoder answers; the scan only says where. */
export function firstInvalidUtf8Offset(buf: Uint8Array): number {
  try {
    utf8.decode(buf);
    return -1;
  } catch {
    return scanUtf8(buf);
  }
}

/** RFC 3629 well-formedness (no overlongs, no surrogates, nothing past U+10FFFF): index of the bad sequence. */
function scanUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    const [n, lo, hi] = c >= 0xc2 && c <= 0xdf ? [1, 0x80, 0xbf] : c === 0xe0 ? [2, 0xa0, 0xbf] : c === 0xed ? [2, 0x80, 0x9f] : c >= 0xe1 && c <= 0xef ? [2, 0x80, 0xbf] : c === 0xf0 ? [3, 0x90, 0xbf] : c >= 0xf1 && c <= 0xf3 ? [3, 0x80, 0xbf] : c === 0xf4 ? [3, 0x80, 0x8f] : [0, 0, 0];
    if (n === 0 || i + n >= b.length) return i;
    if (b[i + 1] < lo || b[i + 1] > hi) return i;
    for (let k = 2; k <= n; k++) if (b[i + k] < 0x80 || b[i + k] > 0xbf) return i;
    i += n + 1;
  }
  return b.length;
}

/** The body encodings we read. body-parser 2 (Express 5) also decodes br, and zstd where zlib has it
 * (experimental in Node 22): the API keeps the set it documents, whichever parser or Node runs it. */
export const ACCEPTED_CONTENT_ENCODINGS: readonly string[] = ['identity', 'gzip', 'deflate'];

/** An unsupported Content-Encoding, shaped like body-parser's own so one mapping answers both. */
export class UnsupportedEncodingError extends Error {
  readonly status = 415;
  readonly type = 'encoding.unsupported';
  constructor(readonly encoding: string) {
    super(`unsupported content encoding "${encoding}"`);
  }
}

/** Middleware ahead of the body parsers: a body in an encoding outside the accepted set is a 415. */
export function refuseUnacceptedEncodings(req: IncomingMessage, _res: unknown, next: (err?: unknown) => void): void {
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  const hasBody = req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] ?? '0') !== '0';
  next(hasBody && !ACCEPTED_CONTENT_ENCODINGS.includes(encoding) ? new UnsupportedEncodingError(encoding) : undefined);
}

/**
 * body-parser's `verify` hook: the raw bytes must be UTF-8 before JSON.parse runs, or the decoder
 * silently stores U+FFFD for every bad byte. Other charsets body-parser decodes itself.
 */
export function rejectInvalidUtf8(_req: IncomingMessage, _res: unknown, buf: Buffer, encoding: string): void {
  if (encoding.toLowerCase() !== 'utf-8' && encoding.toLowerCase() !== 'utf8') return;
  const offset = firstInvalidUtf8Offset(buf);
  if (offset >= 0) throw new InvalidUtf8Error(offset);
}

/** Status and problem of a body-parser failure, or undefined when the error is not one. */
export function bodyErrorProblem(err: unknown): { status: number; input: ProblemInput } | undefined {
  if (!err || typeof err !== 'object') return undefined;
  const e = err as BodyParserError;
  if (typeof e.status !== 'number' || e.status < 400 || e.status >= 500) return undefined;
  switch (e.type) {
    case 'entity.too.large':
      return { status: 413, input: { message: `Request body is larger than the limit of ${e.limit} bytes` } };
    case 'entity.parse.failed':
      return { status: 400, input: { message: `Request body is not valid JSON: ${e.message}` } };
    case 'entity.invalid.utf8':
      return { status: 400, input: { type: PROBLEM_TYPES.invalidUtf8, message: e.message ?? 'Request body is not valid UTF-8' } };
    case 'encoding.unsupported':
      return { status: 415, input: { type: PROBLEM_TYPES.unsupportedEncoding, message: `Unsupported Content-Encoding "${e.encoding ?? ''}": send identity, gzip or deflate` } };
    case 'charset.unsupported':
      return { status: 415, input: { type: PROBLEM_TYPES.unsupportedEncoding, message: `Unsupported charset "${e.charset ?? ''}": send UTF-8` } };
    case undefined:
      // zlib's failure to inflate reaches here as a bare 400 (body-parser adds no type).
      if (e.code?.startsWith('Z_') || /incorrect header check|unexpected end of file|invalid (?:stored )?block|invalid distance|brotli/i.test(e.message ?? '')) {
        return { status: 400, input: { type: PROBLEM_TYPES.undecodableBody, message: `Request body could not be decoded as its Content-Encoding says: ${e.message ?? 'inflate failed'}` } };
      }
      return { status: e.status, input: { message: e.message ?? 'Bad request body' } };
    default:
      return { status: e.status, input: { message: e.message ?? 'Bad request body' } };
  }
}
