import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Webhook } from 'standardwebhooks';
import { refusedAddress, type TargetPolicy } from './target-guard.util';

export interface SendOptions {
  timeoutMs: number;
  maxResponseBytes: number;
  policy: TargetPolicy;
}

export interface SendResult {
  ok: boolean;
  statusCode?: number;
  error?: string;
  latencyMs: number;
}

/**
 * Standard Webhooks headers. The signature covers `id.timestamp.body`; with a rotated secret still
 * in its grace period there is one `v1,` signature per secret, space-separated, and a receiver
 * holding either secret accepts the message.
 */
export function signedHeaders(secrets: readonly string[], webhookId: string, at: Date, body: string): Record<string, string> {
  return {
    'webhook-id': webhookId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': secrets.map((s) => new Webhook(s).sign(webhookId, at, body)).join(' '),
  };
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * Resolves the host and refuses it if any of its addresses is not allowed; the connection then
 * goes to the very addresses checked, so a name can't be re-pointed between check and connect
 * (DNS rebinding).
 */
function guardedLookup(policy: TargetPolicy) {
  return (hostname: string, options: { all?: boolean }, callback: LookupCallback): void => {
    dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) => {
      if (err) return callback(err, '', 4);
      const refused = addresses.map((a) => refusedAddress(a.address, policy)).find((r) => r !== undefined);
      if (refused || addresses.length === 0) {
        const e: NodeJS.ErrnoException = new Error(`target refused: ${hostname} resolves to ${refused ?? 'no address'}`);
        e.code = 'EWEBHOOKTARGET';
        return callback(e, '', 4);
      }
      if (options.all) return callback(null, addresses);
      return callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

/**
 * POSTs one webhook. Never throws: every outcome is a result the caller logs. A 2xx answer is
 * success; anything else (3xx included: redirects are never followed, they could lead anywhere)
 * is a failure. One deadline covers resolution, connection, the answer and reading its body, and
 * at most `maxResponseBytes` of the body are read.
 */
export function postWebhook(url: string, headers: Record<string, string>, body: string, opts: SendOptions): Promise<SendResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const target = new URL(url);
  const host = target.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) {
    const refused = refusedAddress(host, opts.policy);
    if (refused) return Promise.resolve({ ok: false, error: `target refused: ${refused}`, latencyMs: elapsed() });
  }
  const payload = Buffer.from(body, 'utf8');
  return new Promise((resolve) => {
    let settled = false;
    const finish = (r: Omit<SendResult, 'latencyMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve({ ...r, latencyMs: elapsed() });
    };
    const lib = target.protocol === 'https:' ? https : http;
    const req = lib.request(
      target,
      {
        method: 'POST',
        // A fresh connection per delivery: every connection goes through the guarded lookup.
        agent: false,
        lookup: guardedLookup(opts.policy),
        headers: { ...headers, 'content-type': 'application/json', 'content-length': String(payload.length), 'user-agent': 'jobstream-webhooks/1' },
      },
      (res) => {
        const status = res.statusCode ?? 0;
        const ok = status >= 200 && status < 300;
        const error = ok ? undefined : status >= 300 && status < 400 ? `HTTP ${status}: redirects are not followed` : `HTTP ${status}`;
        let read = 0;
        res.on('data', (chunk: Buffer) => {
          read += chunk.length;
          // The status is all we need; an endless or huge body must not hold a worker or its memory.
          if (read > opts.maxResponseBytes) finish({ ok, statusCode: status, ...(error ? { error } : {}) });
        });
        res.on('end', () => finish({ ok, statusCode: status, ...(error ? { error } : {}) }));
        res.on('error', (err) => finish({ ok: false, statusCode: status, error: err.message }));
      },
    );
    const timer = setTimeout(() => finish({ ok: false, error: `timed out after ${opts.timeoutMs} ms` }), opts.timeoutMs);
    req.on('error', (err) => finish({ ok: false, error: err.message }));
    req.end(payload);
  });
}
