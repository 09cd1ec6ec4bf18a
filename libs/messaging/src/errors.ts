/** The broker did not acknowledge a write in time: nothing may be reported as accepted. */
export class BrokerUnavailableError extends Error {
  constructor(message: string, override readonly cause?: unknown) {
    super(message);
    this.name = 'BrokerUnavailableError';
  }
}

/**
 * A handler throws this for an event that can never succeed (bad reference, broken invariant):
 * it goes to the dead-letter topic at once instead of being retried.
 *
 * A batch handler that knows which events are at fault names them in `eventIds`: the consumer then
 * applies the rest of the slice again as one batch and tries only those one by one, instead of
 * splitting the whole slice. Naming them means the handler's effects don't depend on the order of
 * those events against the rest (versioned writes), since they are applied after it.
 */
export class PermanentEventError extends Error {
  readonly eventIds?: readonly string[];

  constructor(message: string, options: { eventIds?: readonly string[] } = {}) {
    super(message);
    this.name = 'PermanentEventError';
    if (options.eventIds && options.eventIds.length > 0) this.eventIds = [...options.eventIds];
  }
}

/**
 * A handler throws this when an event must wait for something that is on its way (another
 * projection catching up): it is retried with backoff, heartbeating, until it passes, and is never
 * dead-lettered or committed meanwhile.
 */
export class NotYetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotYetError';
  }
}

const TRANSIENT_NAMES = new Set([
  'NotYetError',
  'BrokerUnavailableError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'PoolClearedError',
  'PoolClosedError',
  'MaxRetriesPerRequestError',
  'KafkaJSConnectionError',
  'KafkaJSNumberOfRetriesExceeded',
  'KafkaJSRequestTimeoutError',
  // The search projection's engine (OpenSearch) unreachable, timing out or shedding load.
  'SearchUnavailableError',
]);

/**
 * A dependency being down is not the event's fault: such failures are retried until the
 * dependency is back (the event is never dead-lettered for it, and its offset never committed).
 */
export function isTransientError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (TRANSIENT_NAMES.has(err.name)) return true;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN)$/.test(code)) return true;
  if (/Connection is closed|connect ECONNREFUSED|Topology is closed|client was closed|buffering timed out|database is locked|SQLITE_BUSY/i.test(err.message)) return true;
  const cause = (err as { cause?: unknown }).cause;
  return cause !== undefined && cause !== err && isTransientError(cause);
}
