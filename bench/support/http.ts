import http from 'node:http';
import { now } from './util';

/** Keep-alive connections, as a load balancer or a browser would hold them. */
const agent = new http.Agent({ keepAlive: true, maxSockets: 512, maxFreeSockets: 512 });

export interface HttpResult {
  status: number;
  body: string;
  ms: number;
}

export function request(method: string, url: string, body?: unknown, headers: Record<string, string> = {}, timeoutMs = 120_000): Promise<HttpResult> {
  return send(method, url, body === undefined ? undefined : { bytes: Buffer.from(JSON.stringify(body)), contentType: 'application/json' }, headers, timeoutMs);
}

/** A request with a body already encoded (NDJSON for `_msearch`, say). */
export function send(method: string, url: string, payload?: { bytes: Buffer; contentType: string }, headers: Record<string, string> = {}, timeoutMs = 120_000): Promise<HttpResult> {
  const started = now();
  return new Promise((resolve, reject) => {
    let settled = false;
    const done = (err: Error | undefined, result?: HttpResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) reject(err);
      else resolve(result!);
    };
    const req = http.request(
      url,
      { method, agent, headers: { ...(payload ? { 'content-type': payload.contentType, 'content-length': String(payload.bytes.length) } : {}), ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(undefined, { status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms: now() - started }));
        res.on('error', (err) => done(err));
        res.on('close', () => done(new Error(`${method} ${url}: connection closed before the response ended`)));
      },
    );
    // A deadline for the whole exchange (a socket timeout only notices idle sockets).
    const timer = setTimeout(() => {
      req.destroy();
      done(new Error(`${method} ${url} timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    req.on('error', (err) => done(err));
    req.on('close', () => done(new Error(`${method} ${url}: connection closed without a response`)));
    if (payload) req.write(payload.bytes);
    req.end();
  });
}

export const getJson = (url: string, timeoutMs = 120_000) => request('GET', url, undefined, {}, timeoutMs);

export function parseJson<T>(res: HttpResult): T {
  return JSON.parse(res.body) as T;
}
