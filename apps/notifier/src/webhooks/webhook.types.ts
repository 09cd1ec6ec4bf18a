import type { EventType } from '@jobstream/contracts';

export type SubscriptionStatus = 'active' | 'paused' | 'disabled';

export interface SigningSecret {
  /** `whsec_` + base64 of 32 random bytes, as Standard Webhooks libraries expect it. */
  secret: string;
  createdAt: string;
  /** Set on the previous secret when rotated: it keeps signing (a second signature) until then. */
  expiresAt?: string;
}

/** A subscription as stored (the secrets never leave the notifier but through create and rotate). */
export interface Subscription {
  id: string;
  url: string;
  /** Event types, or `*` for every event type the subscription may see. */
  events: (EventType | '*')[];
  /** Only events of this company; required to receive restricted (PII) events. */
  companyId?: string;
  description?: string;
  status: SubscriptionStatus;
  createdAt: string;
  updatedAt: string;
  disabledAt?: string;
  disabledReason?: string;
  secrets: SigningSecret[];
}

export type PublicSubscription = Omit<Subscription, 'secrets'> & { secretCreatedAt: string };

export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'skipped';

export interface Delivery {
  id: string;
  subscriptionId: string;
  /** Also the `webhook-id` header: the receiver's dedupe key. */
  eventId: string;
  eventType: EventType;
  occurredAt: string;
  createdAt: string;
  status: DeliveryStatus;
  attempts: number;
  lastAttemptAt?: string;
  lastStatusCode?: number;
  lastError?: string;
  lastLatencyMs?: number;
  deliveredAt?: string;
}

export interface DeliveryAttempt {
  attempt: number;
  at: string;
  ok: boolean;
  statusCode?: number;
  error?: string;
  latencyMs: number;
}

/** Data of a job on the webhook queue: the body travels in the delivery record, not the job. */
export interface WebhookJob {
  deliveryId: string;
  subscriptionId: string;
  eventId: string;
}
