import pino, { type Logger } from 'pino';

export const ROOT_LOGGER = Symbol('jobstream:root-logger');

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
    // Synchronous: pino's default stdout stream writes asynchronously, and a service that ends by
    // re-raising SIGTERM (Nest does, after its shutdown hooks) lost its last lines, "shutting down"
    // among them.
    pino.destination({ dest: 1, sync: true }),
  );
}
export type { Logger };
