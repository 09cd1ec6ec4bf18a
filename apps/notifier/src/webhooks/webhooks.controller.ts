import { Body, ConflictException, Controller, Delete, Get, HttpCode, Inject, NotFoundException, Param, Patch, Post, Query, UseGuards } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { ApiRoute } from '@jobstream/platform/openapi';
import { InvalidInputException } from '@jobstream/platform/http-errors';
import { TypeBoxPipe } from '@jobstream/platform/typebox.pipe';
import { ApiKeyGuard, RequireRole } from '@jobstream/platform/auth/api-key.guard';
import type { NotifierConfig } from '../queues/queue.tokens';
import { APP_CONFIG } from '@jobstream/platform/platform.module';
import { allowListOf, refusedUrl, type TargetPolicy } from './target-guard.util';
import { WebhookDeliveries } from './webhook-deliveries.service';
import { WebhookGroupGate } from './webhook-group.gate';
import { WebhookRateLimitGuard } from './webhook-rate-limit.guard';
import {
  CreateSubscriptionInput,
  DeliveriesQuery,
  DeliveryDetail,
  DeliveryId,
  DeliveryPage,
  Queued,
  RedeliverRangeInput,
  SecretView,
  SubscriptionId,
  SubscriptionList,
  SubscriptionView,
  SubscriptionWithSecret,
  UpdateSubscriptionInput,
} from './webhook.schemas';
import { WebhookStore } from './webhook-store.repository';
import type { Delivery, DeliveryAttempt, PublicSubscription, SigningSecret, Subscription } from './webhook.types';

const newSecret = (): SigningSecret => ({ secret: `whsec_${randomBytes(32).toString('base64')}`, createdAt: new Date().toISOString() });
const view = ({ secrets, ...sub }: Subscription): PublicSubscription => ({ ...sub, secretCreatedAt: secrets[0].createdAt });
const idPipe = new TypeBoxPipe(SubscriptionId, 'path parameter id');
const REDELIVER_MAX = 10000;

const common = { 401: 'Missing or unknown API key', 403: 'Not an operator key', 429: 'Rate limit exceeded; retry after Retry-After' };
const auth = 'operator';

/** The operator API of webhook subscriptions, their delivery log and redelivery. */
@Controller('v1/webhooks/subscriptions')
@UseGuards(ApiKeyGuard, WebhookRateLimitGuard)
@RequireRole('operator')
export class WebhooksController {
  private readonly policy: TargetPolicy;

  constructor(
    private readonly store: WebhookStore,
    private readonly deliveries: WebhookDeliveries,
    private readonly gate: WebhookGroupGate,
    @Inject(APP_CONFIG) private readonly config: NotifierConfig,
  ) {
    this.policy = { allowed: allowListOf(config.WEBHOOK_ALLOW_PRIVATE_TARGETS), requireHttps: config.WEBHOOK_REQUIRE_HTTPS };
  }

  @ApiRoute({
    summary: 'Create a subscription; its signing secret is in this answer only',
    auth,
    body: CreateSubscriptionInput,
    responses: { 201: { description: 'Created, with its secret', schema: SubscriptionWithSecret }, 400: 'Invalid body or a refused target URL, naming the field', ...common },
  })
  @Post()
  @HttpCode(201)
  async create(@Body(new TypeBoxPipe(CreateSubscriptionInput)) body: CreateSubscriptionInput): Promise<PublicSubscription & { secret: string }> {
    const refused = refusedUrl(body.url, this.policy);
    if (refused) throw new InvalidInputException('request body', [{ path: '/url', message: refused }]);
    const secret = newSecret();
    // Created under the set lock, its time taken inside it: the webhooks group starts from it.
    const sub = await this.gate.creating(async () => {
      const now = new Date().toISOString();
      const created: Subscription = {
        id: `sub_${randomBytes(12).toString('hex')}`,
        url: body.url,
        events: body.events as Subscription['events'],
        ...(body.companyId ? { companyId: body.companyId } : {}),
        ...(body.description ? { description: body.description } : {}),
        status: 'active',
        createdAt: now,
        updatedAt: now,
        secrets: [secret],
      };
      await this.store.saveSubscription(created);
      this.deliveries.invalidate();
      return created;
    });
    return { ...view(sub), secret: secret.secret };
  }

  @ApiRoute({ summary: 'List subscriptions (without secrets)', auth, responses: { 200: { description: 'Every subscription', schema: SubscriptionList }, ...common } })
  @Get()
  async list(): Promise<{ subscriptions: PublicSubscription[] }> {
    const subs = await this.store.subscriptions();
    return { subscriptions: subs.sort((a, b) => a.createdAt.localeCompare(b.createdAt)).map(view) };
  }

  @ApiRoute({ summary: 'One subscription', auth, params: { id: SubscriptionId }, responses: { 200: { description: 'The subscription', schema: SubscriptionView }, 404: 'No such subscription', ...common } })
  @Get(':id')
  async get(@Param('id', idPipe) id: string): Promise<PublicSubscription> {
    return view(await this.found(id));
  }

  @ApiRoute({
    summary: 'Pause, resume or re-enable a subscription',
    description: 'Re-enabling clears the failure streak. Events that arrived while it was paused or disabled are in the delivery log as skipped: redeliver them with a time range.',
    auth,
    params: { id: SubscriptionId },
    body: UpdateSubscriptionInput,
    responses: { 200: { description: 'The subscription', schema: SubscriptionView }, 404: 'No such subscription', ...common },
  })
  @Patch(':id')
  async update(@Param('id', idPipe) id: string, @Body(new TypeBoxPipe(UpdateSubscriptionInput)) body: UpdateSubscriptionInput): Promise<PublicSubscription> {
    const sub = await this.found(id);
    const { disabledAt: _at, disabledReason: _reason, ...rest } = sub;
    const next: Subscription = { ...(body.status === 'active' ? rest : sub), status: body.status, updatedAt: new Date().toISOString() };
    await this.store.saveSubscription(next);
    if (body.status === 'active') await this.store.resetFailures(id);
    this.deliveries.invalidate();
    return view(next);
  }

  @ApiRoute({ summary: 'Delete a subscription; queued deliveries are dropped', auth, params: { id: SubscriptionId }, responses: { 204: 'Deleted', 404: 'No such subscription', ...common } })
  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id', idPipe) id: string): Promise<void> {
    if (!(await this.store.deleteSubscription(id))) throw this.notFound(id);
    this.deliveries.invalidate();
    this.gate.nudge();
  }

  @ApiRoute({
    summary: 'Rotate the signing secret',
    description: 'The new secret signs from now on; the previous one adds a second signature for WEBHOOK_SECRET_GRACE_HOURS, so receivers can switch without dropping a message.',
    auth,
    params: { id: SubscriptionId },
    responses: { 201: { description: 'The new secret, shown only now', schema: SecretView }, 404: 'No such subscription', ...common },
  })
  @Post(':id/secret/rotate')
  @HttpCode(201)
  async rotate(@Param('id', idPipe) id: string): Promise<{ secret: string; previousSecretValidUntil?: string }> {
    const sub = await this.found(id);
    const secret = newSecret();
    const graceMs = this.config.WEBHOOK_SECRET_GRACE_HOURS * 3600_000;
    const until = new Date(Date.now() + graceMs).toISOString();
    const previous = graceMs > 0 ? [{ secret: sub.secrets[0].secret, createdAt: sub.secrets[0].createdAt, expiresAt: until }] : [];
    await this.store.saveSubscription({ ...sub, secrets: [secret, ...previous], updatedAt: new Date().toISOString() });
    return { secret: secret.secret, ...(previous.length ? { previousSecretValidUntil: until } : {}) };
  }

  @ApiRoute({
    summary: 'The delivery log of a subscription, newest first',
    auth,
    params: { id: SubscriptionId },
    query: DeliveriesQuery,
    responses: { 200: { description: 'A page of deliveries; `next` is the cursor of the following page', schema: DeliveryPage }, 400: 'Invalid query', 404: 'No such subscription', ...common },
  })
  @Get(':id/deliveries')
  async log(@Param('id', idPipe) id: string, @Query(new TypeBoxPipe(DeliveriesQuery, 'query')) q: DeliveriesQuery): Promise<{ deliveries: Delivery[]; next?: string }> {
    await this.found(id);
    const [ms, skip] = q.cursor ? q.cursor.split('.').map(Number) : [];
    return this.store.page(id, {
      limit: q.limit ? Number(q.limit) : 20,
      ...(q.cursor ? { cursor: { ms, skip } } : {}),
      ...(q.from ? { fromMs: Date.parse(q.from) } : {}),
      ...(q.to ? { toMs: Date.parse(q.to) } : {}),
    });
  }

  @ApiRoute({
    summary: 'One delivery with its attempts (time, status code or error, latency)',
    auth,
    params: { id: SubscriptionId, deliveryId: DeliveryId },
    responses: { 200: { description: 'The delivery', schema: DeliveryDetail }, 404: 'No such subscription or delivery', ...common },
  })
  @Get(':id/deliveries/:deliveryId')
  async delivery(@Param('id', idPipe) id: string, @Param('deliveryId', new TypeBoxPipe(DeliveryId, 'path parameter deliveryId')) deliveryId: string): Promise<Delivery & { attemptLog: DeliveryAttempt[] }> {
    const d = await this.store.delivery(deliveryId);
    if (!d || d.subscriptionId !== id) throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: `No delivery ${deliveryId} of subscription ${id}` });
    return { ...d, attemptLog: await this.store.attempts(deliveryId) };
  }

  @ApiRoute({
    summary: 'Redeliver one delivery (same body and webhook-id, new timestamp and signature)',
    auth,
    params: { id: SubscriptionId, deliveryId: DeliveryId },
    responses: { 202: { description: 'Queued', schema: Queued }, 404: 'No such subscription or delivery', 409: 'The subscription is paused or disabled', ...common },
  })
  @Post(':id/deliveries/:deliveryId/redeliver')
  @HttpCode(202)
  async redeliverOne(@Param('id', idPipe) id: string, @Param('deliveryId', new TypeBoxPipe(DeliveryId, 'path parameter deliveryId')) deliveryId: string): Promise<{ queued: number }> {
    this.active(await this.found(id));
    const queued = await this.deliveries.redeliver([deliveryId], id);
    if (queued === 0) throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: `No delivery ${deliveryId} of subscription ${id}` });
    return { queued };
  }

  @ApiRoute({
    summary: 'Redeliver every delivery of a subscription created in a time range',
    description: `At most ${REDELIVER_MAX} per request, oldest first; \`more\` says to send the rest.`,
    auth,
    params: { id: SubscriptionId },
    body: RedeliverRangeInput,
    responses: { 202: { description: 'Queued', schema: Queued }, 400: 'Invalid body or from after to', 404: 'No such subscription', 409: 'The subscription is paused or disabled', ...common },
  })
  @Post(':id/redeliver')
  @HttpCode(202)
  async redeliverRange(@Param('id', idPipe) id: string, @Body(new TypeBoxPipe(RedeliverRangeInput)) body: RedeliverRangeInput): Promise<{ queued: number; more?: boolean }> {
    const [from, to] = [Date.parse(body.from), Date.parse(body.to)];
    if (from > to) throw new InvalidInputException('request body', [{ path: '/to', message: 'must not be before from' }]);
    this.active(await this.found(id));
    const ids = await this.store.idsBetween(id, from, to, REDELIVER_MAX + 1);
    const queued = await this.deliveries.redeliver(ids.slice(0, REDELIVER_MAX), id);
    return { queued, ...(ids.length > REDELIVER_MAX ? { more: true } : {}) };
  }

  private async found(id: string): Promise<Subscription> {
    const sub = await this.store.subscription(id);
    if (!sub) throw this.notFound(id);
    return sub;
  }

  private notFound(id: string): NotFoundException {
    return new NotFoundException({ statusCode: 404, error: 'Not Found', message: `No subscription ${id}` });
  }

  private active(sub: Subscription): void {
    if (sub.status !== 'active') throw new ConflictException({ statusCode: 409, error: 'Conflict', message: `Subscription ${sub.id} is ${sub.status}: set it active first` });
  }
}
