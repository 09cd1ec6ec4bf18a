import { bool, int, str, type VarSpec } from '@jobstream/platform/config';
import { allowListOf } from './target-guard.util';

export const WebhookConfigSpec = {
  WEBHOOK_ATTEMPTS: int({ description: 'Attempts of one webhook delivery (the first and its retries) before it is recorded as failed', default: 15, min: 1, max: 50 }),
  WEBHOOK_BACKOFF_BASE_MS: int({ description: 'Cap of the first retry delay of a webhook; the cap doubles each retry and the delay is uniform below it (full jitter)', default: 60000, min: 10 }),
  WEBHOOK_BACKOFF_MAX_MS: int({ description: 'Largest cap of a webhook retry delay', default: 43200000, min: 10 }),
  WEBHOOK_TIMEOUT_MS: int({ description: 'Deadline of one webhook request: resolving, connecting, the answer and reading its body', default: 10000, min: 100, max: 120000 }),
  WEBHOOK_MAX_RESPONSE_BYTES: int({ description: 'Most bytes of a receiver\'s answer read; the rest is not', default: 65536, min: 0 }),
  WEBHOOK_CONCURRENCY: int({ description: 'Webhook requests in flight per notifier instance', default: 8, min: 1, max: 200 }),
  WEBHOOK_REQUIRE_HTTPS: bool({ description: 'Refuse subscriptions whose URL is not https', default: true }),
  WEBHOOK_ALLOW_PRIVATE_TARGETS: {
    description:
      'Non-public addresses webhooks may reach, comma-separated: loopback, private, link-local or CIDRs (10.1.0.0/16, fd00::/8); by default every loopback, private, link-local, multicast and reserved IPv4/IPv6 address is refused',
    kind: 'comma-separated list',
    default: [],
    parse: (raw: string) => {
      const items = raw.split(',').map((s) => s.trim()).filter(Boolean);
      allowListOf(items); // fails fast, naming the bad item
      return items;
    },
  } satisfies VarSpec<string[]>,
  WEBHOOK_DISABLE_AFTER_FAILURES: int({ description: 'A subscription is disabled after this many failed attempts in a row (and WEBHOOK_DISABLE_AFTER_MS)', default: 30, min: 1 }),
  WEBHOOK_DISABLE_AFTER_MS: int({ description: 'A subscription is disabled only once its failed attempts in a row span at least this long (and number WEBHOOK_DISABLE_AFTER_FAILURES)', default: 86400000, min: 0 }),
  WEBHOOK_OPERATOR_EMAIL: str({ description: 'Who is emailed when a subscription is disabled automatically; empty: only logged', default: '', pattern: /^[^\s@]+@[^\s@]+$/, hint: 'an email address' }),
  WEBHOOK_SECRET_GRACE_HOURS: int({ description: 'How long the previous secret keeps signing (a second signature) after a rotation', default: 24, min: 0, max: 720 }),
  WEBHOOK_LOG_RETENTION_DAYS: int({ description: 'How long deliveries (their body and attempts) are kept for the log and redelivery', default: 30, min: 1, max: 365 }),
  WEBHOOK_LOG_MAX_PER_SUBSCRIPTION: int({ description: 'Most deliveries kept in the log per subscription (oldest go first)', default: 100000, min: 100 }),
  WEBHOOK_API_RATE_LIMIT: int({ description: 'Requests an API key may make to the webhook API per minute; more get 429 with Retry-After', default: 300, min: 1 }),
};
