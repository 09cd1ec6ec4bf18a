import pino, { type Logger } from 'pino';

export const ROOT_LOGGER = Symbol('jobstream:root-logger');

/**
 * Where every logger of the process writes: stdout, asynchronously. A synchronous write blocks the
 * event loop whenever whoever reads stdout (a container runtime's log driver, a pipe) falls behind;
 * sonic-boom then retries a full pipe every 100 ms, and every request waits (the bench measured
 * ingest's event loop 1.1 s behind at 1,000 events/s). flushLogs() writes what is still buffered
 * before the process ends (see runApp).
 */
let stdout: ReturnType<typeof pino.destination> | undefined;

/** Writes out buffered log lines synchronously; for the last moments of the process. */
export function flushLogs(): void {
  try {
    stdout?.flushSync();
  } catch {
    // Not open yet or already closed: nothing of ours is buffered.
  }
}

/**
 * JSON logs, one line per record, with the service name on each. Fields that may carry PII are
 * redacted at the logger so no call site can leak them by accident.
 */
export function createLogger(service: string, level: string): Logger {
  return pino(
    {
      level,
      base: { service },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers["x-api-key"]',
          'req.headers.cookie',
          '*.email',
          '*.*.email',
          '*.phone',
          '*.applicant',
          'data.applicant',
          'data.members',
          // Kafka credentials, should a client's options or a config object ever be logged.
          'sasl',
          '*.sasl',
          '*.password',
          '*.KAFKA_SASL_PASSWORD',
          '*.KAFKA_SEARCH_SASL_PASSWORD',
        ],
        censor: '[redacted]',
      },
    },
    (stdout ??= pino.destination({ dest: 1, sync: false })),
  );
}
export type { Logger };
