import { int, str, type ConfigOf } from '@jobstream/platform/config';
import { ConsumerConfigSpec, KafkaConfigSpec } from '@jobstream/messaging/messaging.config';
import { platformConfigSpec } from '@jobstream/platform/platform.config';
import { RedisConfigSpec } from '@jobstream/platform/redis.config';
import { AuthConfigSpec } from '@jobstream/platform/auth/auth.config';
import { WebhookConfigSpec } from './webhooks/webhook.config';

export const NotifierConfigSpec = {
  ...platformConfigSpec(3003),
  ...KafkaConfigSpec,
  ...ConsumerConfigSpec,
  KAFKA_GROUP_ID: { ...ConsumerConfigSpec.KAFKA_GROUP_ID, default: 'notifier' },
  ...RedisConfigSpec,
  SMTP_URL: str({ description: 'SMTP server the emails go through', default: 'smtp://127.0.0.1:1025', pattern: /^smtps?:\/\/.+/, hint: 'an smtp:// URL', secret: true }),
  MAIL_FROM: str({ description: 'Sender of every email', default: 'jobstream <no-reply@jobstream.local>' }),
  SMTP_TIMEOUT_MS: int({ description: 'Longest wait for the SMTP server (connect, greeting, each command) before a send counts as a transient failure', default: 15000, min: 500 }),
  NOTIFIER_QUEUE_PREFIX: str({
    description: 'Redis key prefix of the BullMQ queues and the recipient store',
    default: 'jobstream',
    pattern: /^[A-Za-z0-9._-]{1,100}$/,
    hint: 'letters, digits, dot, dash or underscore',
  }),
  NOTIFIER_CONCURRENCY: int({ description: 'Emails sent in parallel per notifier instance', default: 4, min: 1, max: 100 }),
  NOTIFIER_RATE_MAX: int({ description: 'Most emails sent per NOTIFIER_RATE_WINDOW_MS across all notifier instances (BullMQ limiter)', default: 20, min: 1 }),
  NOTIFIER_RATE_WINDOW_MS: int({ description: 'Window of the send-rate limit', default: 1000, min: 10 }),
  NOTIFIER_EMAIL_ATTEMPTS: int({ description: 'Attempts of an email whose send fails transiently (SMTP down, 4xx) before it is recorded as failed', default: 10, min: 1, max: 100 }),
  NOTIFIER_BACKOFF_BASE_MS: int({ description: 'First retry delay of an email; doubles each attempt, with jitter', default: 2000, min: 10 }),
  NOTIFIER_BACKOFF_MAX_MS: int({ description: 'Longest retry delay of an email', default: 600000, min: 10 }),
  NOTIFIER_JOB_LOCK_MS: int({
    description: 'Lock of a job being sent; a crashed instance\'s jobs are picked up again after about this long (also the stalled-check interval)',
    default: 30000,
    min: 1000,
  }),
  NOTIFIER_KEEP_COMPLETED_HOURS: int({ description: 'How long completed email jobs are kept (dedupes redelivered events by job id)', default: 168, min: 1 }),
  NOTIFIER_KEEP_COMPLETED_COUNT: int({ description: 'Most completed email jobs kept', default: 100000, min: 100 }),
  NOTIFIER_KEEP_FAILED_DAYS: int({ description: 'How long failed email jobs are kept for inspection', default: 30, min: 1 }),
  NOTIFIER_KEEP_FAILED_COUNT: int({ description: 'Most failed email jobs kept', default: 100000, min: 100 }),
  NOTIFIER_SENT_MARKER_DAYS: int({ description: 'How long a sent email is remembered, so a redelivered event or retried job never sends it again', default: 30, min: 1 }),
  POSTING_URL_TEMPLATE: str({
    description: "Link to a posting in emails, the web front end's posting page by default; {postingId} is replaced",
    default: 'http://localhost:3004/jobs/{postingId}',
    pattern: /^https?:\/\/.*\{postingId\}/,
    hint: 'an http(s) URL containing {postingId}',
  }),
  NOTIFIER_DIGEST_CRON: str({ description: 'When the daily recruiter digest (yesterday\'s numbers) is sent, cron in UTC', default: '0 7 * * *' }),
  NOTIFIER_REMINDER_CRON: str({ description: 'When expiry reminders are checked, cron in UTC', default: '0 8 * * *' }),
  NOTIFIER_REMINDER_DAYS: int({ description: 'Days before a posting expires that its recruiters are reminded', default: 3, min: 1, max: 365 }),
  NOTIFIER_ADMIN_USER: str({ description: 'Operator user of the queue dashboard at /admin/queues; the dashboard is not mounted unless user and password are set', default: '' }),
  NOTIFIER_ADMIN_PASSWORD: str({
    description: 'Operator password of the queue dashboard (basic auth); no default',
    default: '',
    secret: true,
    pattern: /^.{12,}$/,
    hint: 'at least 12 characters',
  }),
  // The same keys as ingest's, so an operator uses one key for both (only the operator role may use the webhook API).
  ...AuthConfigSpec,
  ...WebhookConfigSpec,
};
export type NotifierConfig = ConfigOf<typeof NotifierConfigSpec>;
