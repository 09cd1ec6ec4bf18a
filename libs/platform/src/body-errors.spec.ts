import { PassThrough } from 'node:stream';
import { gzipSync } from 'node:zlib';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { json } from 'express';
import { bodyErrorProblem, firstInvalidUtf8Offset, refuseUnacceptedEncodings, rejectInvalidUtf8 } from './body-errors';
import { PROBLEM_TYPES } from './problem';

/** Runs the real JSON body parser (as bootstrap configures it) over bytes, without a server. */
function parse(bytes: Buffer, headers: Record<string, string>): Promise<{ err?: unknown; body?: unknown }> {
  const stream = new PassThrough();
  const req = Object.assign(stream, { headers: { 'content-length': String(bytes.length), ...headers }, method: 'POST', url: '/' }) as unknown as IncomingMessage & { body?: unknown };
  const parser = json({ limit: '1mb', strict: true, verify: rejectInvalidUtf8 });
  const done = new Promise<{ err?: unknown; body?: unknown }>((resolve) => {
    parser(req, {} as ServerResponse, (err?: unknown) => resolve(err ? { err } : { body: req.body }));
  });
  stream.end(bytes);
  return done;
}

describe('firstInvalidUtf8Offset', () => {
  it('is -1 for well-formed UTF-8, multi-byte and astral included', () => {
    expect(firstInvalidUtf8Offset(Buffer.from('{"name":"Zoë 日本 😀"}', 'utf8'))).toBe(-1);
    expect(firstInvalidUtf8Offset(new Uint8Array())).toBe(-1);
  });

  it.each([
    ['a stray continuation byte', [0x61, 0x80, 0x62], 1],
    ['a truncated two-byte sequence at the end', [0x61, 0x62, 0xc3], 2],
    ['an overlong encoding of "/"', [0x41, 0xc0, 0xaf], 1],
    ['an encoded surrogate (CESU-8)', [0x22, 0xed, 0xa0, 0x80, 0x22], 1],
    ['a code point past U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 0],
    ['Latin-1 "é"', [0x7b, 0x22, 0xe9, 0x22, 0x7d], 2],
  ])('finds %s', (_name, bytes, offset) => {
    expect(firstInvalidUtf8Offset(Uint8Array.from(bytes))).toBe(offset);
  });
});

describe('the JSON body parser with rejectInvalidUtf8', () => {
  it('parses valid UTF-8 JSON as before', async () => {
    expect(await parse(Buffer.from('{"name":"Zoë"}'), { 'content-type': 'application/json' })).toEqual({ body: { name: 'Zoë' } });
  });

  it('refuses invalid UTF-8 with a 400 naming it and the offset, instead of storing U+FFFD', async () => {
    const { err } = await parse(Buffer.from([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]), { 'content-type': 'application/json' });
    expect(bodyErrorProblem(err)).toEqual({ status: 400, input: { type: PROBLEM_TYPES.invalidUtf8, message: 'Request body is not valid UTF-8 (first bad byte at offset 6)' } });
  });

  it('answers a gzip body that does not inflate with a 400 naming the encoding problem', async () => {
    const { err } = await parse(Buffer.from('this is not gzip at all'), { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    const found = bodyErrorProblem(err);
    expect(found?.status).toBe(400);
    expect(found?.input.type).toBe(PROBLEM_TYPES.undecodableBody);
    expect(found?.input.message).toMatch(/^Request body could not be decoded as its Content-Encoding says: /);
  });

  it('answers a truncated gzip body with the same 400', async () => {
    const gz = gzipSync(Buffer.from('{"name":"a long enough body to be cut in half"}'));
    const { err } = await parse(gz.subarray(0, gz.length - 12), { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(bodyErrorProblem(err)).toMatchObject({ status: 400, input: { type: PROBLEM_TYPES.undecodableBody } });
  });

  it('still reads a good gzip body', async () => {
    expect(await parse(gzipSync(Buffer.from('{"a":1}')), { 'content-type': 'application/json', 'content-encoding': 'gzip' })).toEqual({ body: { a: 1 } });
  });

  it('answers an unknown Content-Encoding with a 415 naming it', async () => {
    const { err } = await parse(Buffer.from('{}'), { 'content-type': 'application/json', 'content-encoding': 'zstd-ish' });
    expect(bodyErrorProblem(err)).toEqual({ status: 415, input: { type: PROBLEM_TYPES.unsupportedEncoding, message: 'Unsupported Content-Encoding "zstd-ish": send identity, gzip or deflate' } });
  });

  it('answers an unsupported charset with a 415', async () => {
    const { err } = await parse(Buffer.from('{}'), { 'content-type': 'application/json; charset=latin1' });
    expect(bodyErrorProblem(err)).toMatchObject({ status: 415, input: { message: 'Unsupported charset "latin1": send UTF-8' } });
  });

  it('keeps the too-large and bad-JSON wording', async () => {
    expect(bodyErrorProblem({ status: 413, type: 'entity.too.large', limit: 1024 })).toEqual({ status: 413, input: { message: 'Request body is larger than the limit of 1024 bytes' } });
    expect((await parse(Buffer.from('{"a":'), { 'content-type': 'application/json' })).err).toMatchObject({ status: 400, type: 'entity.parse.failed' });
  });

  it('leaves errors that are not body-parser 4xx to the next handler', () => {
    expect(bodyErrorProblem(new Error('boom'))).toBeUndefined();
    expect(bodyErrorProblem({ status: 500, type: 'stream.not.readable' })).toBeUndefined();
    expect(bodyErrorProblem(undefined)).toBeUndefined();
  });
});

describe('refuseUnacceptedEncodings', () => {
  const check = (headers: Record<string, string>) => {
    let passed: unknown = 'not called';
    refuseUnacceptedEncodings({ headers } as unknown as IncomingMessage, {}, (err?: unknown) => (passed = err));
    return passed;
  };

  it('passes identity, gzip and deflate bodies, and requests without a body, on to the parsers', () => {
    for (const encoding of ['identity', 'gzip', 'deflate', ' GZIP ']) expect(check({ 'content-length': '10', 'content-encoding': encoding })).toBeUndefined();
    expect(check({ 'content-length': '10' })).toBeUndefined();
    expect(check({ 'content-encoding': 'br' })).toBeUndefined();
    expect(check({ 'content-length': '0', 'content-encoding': 'br' })).toBeUndefined();
  });

  it('answers br and zstd (which Express 5 would decode) and unknown encodings with the 415 of an unsupported encoding', () => {
    for (const encoding of ['br', 'zstd', 'x-snappy', 'gzip, br']) {
      const err = check({ 'transfer-encoding': 'chunked', 'content-encoding': encoding });
      expect(bodyErrorProblem(err)).toEqual({ status: 415, input: { type: PROBLEM_TYPES.unsupportedEncoding, message: `Unsupported Content-Encoding "${encoding}": send identity, gzip or deflate` } });
    }
  });
});
