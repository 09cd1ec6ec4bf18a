import { Type, type Static } from '@sinclair/typebox';
import { EventSchemas, Id, DateTime } from '@jobstream/contracts';

const eventTypes = Object.keys(EventSchemas).map((t) => Type.Literal(t));

export const SubscriptionId = Type.String({ pattern: '^sub_[a-f0-9]{24}$', description: 'Subscription id' });
export const DeliveryId = Type.String({ pattern: '^sub_[a-f0-9]{24}\\.[0-9a-f-]{36}$', maxLength: 70, description: 'Delivery id: <subscription id>.<event id>' });

export const CreateSubscriptionInput = Type.Object(
  {
    url: Type.String({ minLength: 1, maxLength: 2048, description: 'Where deliveries are POSTed; https unless the operator allowed otherwise' }),
    events: Type.Array(Type.Union([...eventTypes, Type.Literal('*')]), { minItems: 1, maxItems: 50, uniqueItems: true, description: 'Event types, or * for all' }),
    companyId: Type.Optional(Id('Only events of this company; required for restricted (PII) events')),
    description: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type CreateSubscriptionInput = Static<typeof CreateSubscriptionInput>;

export const UpdateSubscriptionInput = Type.Object(
  { status: Type.Union([Type.Literal('active'), Type.Literal('paused')], { description: 'paused stops deliveries; active resumes them and re-enables a disabled subscription' }) },
  { additionalProperties: false },
);
export type UpdateSubscriptionInput = Static<typeof UpdateSubscriptionInput>;

export const DeliveriesQuery = Type.Object(
  {
    limit: Type.Optional(Type.String({ pattern: '^(?:[1-9]|[1-9][0-9]|100)$', description: 'Page size, 1–100 (20)' })),
    cursor: Type.Optional(Type.String({ pattern: '^\\d{1,15}\\.\\d{1,9}$', description: 'The `next` of the previous page' })),
    from: Type.Optional(DateTime('Deliveries created at or after')),
    to: Type.Optional(DateTime('Deliveries created at or before')),
  },
  { additionalProperties: false },
);
export type DeliveriesQuery = Static<typeof DeliveriesQuery>;

export const RedeliverRangeInput = Type.Object(
  { from: DateTime('Redeliver deliveries created at or after'), to: DateTime('and at or before') },
  { additionalProperties: false },
);
export type RedeliverRangeInput = Static<typeof RedeliverRangeInput>;

const Subscription = Type.Object({
  id: SubscriptionId,
  url: Type.String(),
  events: Type.Array(Type.String()),
  companyId: Type.Optional(Type.String()),
  description: Type.Optional(Type.String()),
  status: Type.Union([Type.Literal('active'), Type.Literal('paused'), Type.Literal('disabled')]),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  disabledAt: Type.Optional(Type.String()),
  disabledReason: Type.Optional(Type.String()),
  secretCreatedAt: Type.String(),
});
export const SubscriptionView = Subscription;
export const SubscriptionWithSecret = Type.Composite([Subscription, Type.Object({ secret: Type.String({ description: 'whsec_… signing secret; shown only now' }) })]);
export const SubscriptionList = Type.Object({ subscriptions: Type.Array(Subscription) });
export const SecretView = Type.Object({ secret: Type.String(), previousSecretValidUntil: Type.Optional(Type.String()) });

const Attempt = Type.Object({ attempt: Type.Integer(), at: Type.String(), ok: Type.Boolean(), statusCode: Type.Optional(Type.Integer()), error: Type.Optional(Type.String()), latencyMs: Type.Integer() });
const Delivery = Type.Object({
  id: Type.String(),
  subscriptionId: Type.String(),
  eventId: Type.String({ description: 'Also the webhook-id header' }),
  eventType: Type.String(),
  occurredAt: Type.String(),
  createdAt: Type.String(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed'), Type.Literal('skipped')]),
  attempts: Type.Integer(),
  lastAttemptAt: Type.Optional(Type.String()),
  lastStatusCode: Type.Optional(Type.Integer()),
  lastError: Type.Optional(Type.String()),
  lastLatencyMs: Type.Optional(Type.Integer()),
  deliveredAt: Type.Optional(Type.String()),
});
export const DeliveryPage = Type.Object({ deliveries: Type.Array(Delivery), next: Type.Optional(Type.String()) });
export const DeliveryDetail = Type.Composite([Delivery, Type.Object({ attemptLog: Type.Array(Attempt) })]);
export const Queued = Type.Object({ queued: Type.Integer(), more: Type.Optional(Type.Boolean({ description: 'More matched than one request redelivers: send the rest with a later from' })) });
