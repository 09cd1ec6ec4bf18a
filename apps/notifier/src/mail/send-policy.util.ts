import { backoffDelay } from '@jobstream/messaging/backoff.util';

export type SendFailure = 'transient' | 'permanent';

/**
 * Whether retrying a failed SMTP send can help. A 5xx answer (e.g. 550 mailbox unavailable,
 * 553 bad address) or a message with no valid recipient is permanent; connection problems,
 * timeouts, 4xx answers and authentication failures (a configuration fix makes them pass) are
 * transient.
 */
export function classifySendFailure(err: unknown): SendFailure {
  const e = err as { code?: unknown; responseCode?: unknown; message?: unknown } | undefined;
  const code = typeof e?.code === 'string' ? e.code : undefined;
  const responseCode = typeof e?.responseCode === 'number' ? e.responseCode : undefined;
  if (code === 'EAUTH') return 'transient';
  if (responseCode !== undefined && responseCode >= 500 && responseCode < 600) return 'permanent';
  if (code === 'EENVELOPE' && responseCode === undefined) return 'permanent'; // no (valid) recipient at all
  return 'transient';
}

/** Retry delay of an email after `attemptsMade` failed attempts: exponential with jitter, capped. */
export function emailRetryDelay(attemptsMade: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
  return backoffDelay(Math.max(0, attemptsMade - 1), baseMs, capMs, random);
}

const EMAIL_PATTERN = /[^\s<>"'(),;:]+@[^\s<>"'(),;:]+/g;

/** SMTP errors quote addresses; what is logged or stored as a failure reason must not. */
export function withoutEmails(message: string): string {
  return message.replace(EMAIL_PATTERN, '[redacted]');
}
