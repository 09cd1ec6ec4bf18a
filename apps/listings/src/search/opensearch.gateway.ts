import { Client, errors } from '@opensearch-project/opensearch';
import { histogram } from '@jobstream/platform/metrics';
import { MultiSearchBatcher } from './msearch-batcher';

const batchSizes = histogram({
  name: 'jobstream_search_msearch_searches',
  help: 'Searches sent to OpenSearch in one _msearch request (a page of hits and its facet counts are two): the searches asked within one turn of the event loop go together',
  buckets: [1, 2, 4, 8, 16, 32, 64],
});

/** The engine was unreachable, timed out or shed load: retry later, the request itself is fine. */
export class SearchUnavailableError extends Error {
  constructor(message: string, override readonly cause?: unknown) {
    super(message);
    this.name = 'SearchUnavailableError';
  }
}

/** The engine refused the request itself (a bad query, an unparseable document): retrying won't help. */
export class SearchRefusedError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly reason: string,
  ) {
    super(`${type}: ${reason}`);
    this.name = 'SearchRefusedError';
  }
}

interface ErrorBody {
  error?: { type?: string; reason?: string; root_cause?: { type?: string; reason?: string }[]; caused_by?: { type?: string; reason?: string } } | string;
}

/** The most specific reason OpenSearch gave (root causes name the offending clause). */
export function describeEngineError(body: unknown): { type: string; reason: string } {
  const e = (body as ErrorBody | undefined)?.error;
  if (!e) return { type: 'unknown', reason: 'no reason given' };
  if (typeof e === 'string') return { type: 'error', reason: e };
  const root = e.root_cause?.[0] ?? e.caused_by;
  return { type: root?.type ?? e.type ?? 'unknown', reason: root?.reason ?? e.reason ?? 'no reason given' };
}

/** What a failed request throws: retry later (unreachable, shed load, engine fault), or the request itself is at fault. */
function engineFailure(status: number, body: unknown, cause?: unknown): Error {
  const { type, reason } = describeEngineError(body);
  if (status === 429 || status >= 500) return new SearchUnavailableError(`OpenSearch answered ${status} (${type}: ${reason})`, cause);
  return new SearchRefusedError(status, type, reason);
}

const transportFailure = (err: unknown): Error =>
  err instanceof errors.ResponseError ? engineFailure(err.statusCode, err.body, err) : new SearchUnavailableError(`OpenSearch unreachable: ${(err as Error).message}`, err);

/** One search of an `_msearch`: on `index`, or on the point in time its body names. */
export interface MultiSearch {
  index?: string;
  body: Record<string, unknown>;
  /** Through the engine's shard request cache, which by default only keeps searches without hits (see hitsSearch). */
  requestCache?: boolean;
}

/** The NDJSON lines of an `_msearch`: each search's header (its index, whether through the request cache), then its body. */
export const msearchLines = (searches: readonly MultiSearch[]): Record<string, unknown>[] =>
  searches.flatMap((s) => [{ ...(s.index ? { index: s.index } : {}), ...(s.requestCache ? { request_cache: true } : {}) }, s.body]);

/** One search's outcome in an `_msearch` (see msearchEach). */
export type SearchOutcome = { body: unknown } | { error: Error };

/** A search's answer, or the failure it met thrown (no answer at all is the engine's fault: retry). */
export function answerOf<T>(outcome: SearchOutcome | undefined): T {
  if (!outcome) throw new SearchUnavailableError('OpenSearch answered fewer searches than it was sent');
  if ('error' in outcome) throw outcome.error;
  return outcome.body as T;
}

/**
 * The one place that talks to OpenSearch: the official client's transport with our own typed
 * request and response shapes (the DSL we send is small; the generated types cover far more).
 * Failures come out as SearchUnavailableError (retry) or SearchRefusedError (don't).
 */
export class OpenSearchGateway {
  private readonly batcher: MultiSearchBatcher;

  /** maxSearchesPerRequest: the most searches one `_msearch` carries (see MultiSearchBatcher); 1 sends each call's searches as they come. */
  constructor(
    readonly client: Client,
    private readonly timeoutMs: number,
    maxSearchesPerRequest = 1,
  ) {
    this.batcher = new MultiSearchBatcher((searches) => this.sendMultiSearch(searches), maxSearchesPerRequest, (searches) => batchSizes.observe(searches), (err) => err instanceof SearchRefusedError);
  }

  static create(urls: string, timeoutMs: number, maxSearchesPerRequest = 1): OpenSearchGateway {
    const nodes = urls.split(',').map((u) => u.trim()).filter(Boolean);
    return new OpenSearchGateway(new Client({ nodes, requestTimeout: timeoutMs, maxRetries: 1 }), timeoutMs, maxSearchesPerRequest);
  }

  async call<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'HEAD', path: string, body?: unknown, options: { ignore?: number[]; timeoutMs?: number; querystring?: Record<string, string> } = {}): Promise<{ status: number; body: T }> {
    try {
      const res = await this.client.transport.request(
        { method, path, ...(body === undefined ? {} : { body: body as Record<string, unknown> }), ...(options.querystring ? { querystring: options.querystring } : {}) },
        { ignore: options.ignore, requestTimeout: options.timeoutMs ?? this.timeoutMs },
      );
      return { status: res.statusCode ?? 200, body: res.body as T };
    } catch (err) {
      throw transportFailure(err);
    }
  }

  /**
   * Several searches in one `_msearch` request: one round trip and one answer to parse (two
   * concurrent `_search` calls cost this client 3.1-4.0 ms of CPU a search against 2.4-2.9 ms, and
   * were no faster). Each answer in order; the first search the engine failed throws as `call` would.
   */
  async msearch(searches: readonly MultiSearch[]): Promise<unknown[]> {
    return (await this.msearchEach(searches)).map((r) => answerOf(r));
  }

  /**
   * `msearch`, each search's outcome on its own: one search the engine failed leaves the others'
   * answers. Searches asked in the same turn of the event loop may share one request (see
   * MultiSearchBatcher). A request the engine refuses as a whole goes again search by search, so
   * only the search at fault fails; one that fails for the engine's own reasons fails each of them.
   */
  msearchEach(searches: readonly MultiSearch[]): Promise<SearchOutcome[]> {
    return this.batcher.submit(searches);
  }

  private async sendMultiSearch(searches: readonly MultiSearch[]): Promise<SearchOutcome[]> {
    let responses: (Record<string, unknown> & { status?: number })[];
    try {
      const res = await this.client.transport.request(
        { method: 'POST', path: '/_msearch', bulkBody: msearchLines(searches) },
        { requestTimeout: this.timeoutMs },
      );
      responses = (res.body as { responses: typeof responses }).responses;
    } catch (err) {
      throw transportFailure(err);
    }
    return responses.map((r) => ('error' in r ? { error: engineFailure(r.status ?? 500, r) } : { body: r }));
  }

  /** NDJSON bulk request; the body is a list of action and source lines. */
  async bulk<T>(path: string, lines: readonly unknown[], querystring: Record<string, string> = {}): Promise<T> {
    try {
      const res = await this.client.transport.request({ method: 'POST', path, bulkBody: lines as Record<string, unknown>[], querystring }, { requestTimeout: Math.max(this.timeoutMs, 30_000) });
      return res.body as T;
    } catch (err) {
      throw transportFailure(err);
    }
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
