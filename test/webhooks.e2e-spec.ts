import type { INestApplication } from '@nestjs/common';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { Kafka, logLevel } from 'kafkajs';
import { Webhook } from 'standardwebhooks';
import { v7 as uuidv7 } from 'uuid';
import { TopicCatalog, createEvent, topicOf, type AnyEvent } from '@jobstream/contracts';
import { asOperator, asRecruiter, eventually, groupPinned, startNotifier, testApiKeys, waitReady } from './support/apps';
import { engines, runId } from './support/engines';

/** What the receiver saw: every request, whether its signature verified with the subscription's secret. */
interface Received {
  path: string;
  id: string;
  verified: boolean;
  status: number;
  body: string;
  headers: IncomingHttpHeaders;
}

/** How an endpoint answers its n-th request (0-based). */
type Behaviour = (n: number) => { status: number; delayMs?: number };

/**
 * A real HTTP receiver that verifies each request with the `standardwebhooks` library, as an
 * outside subscriber would, and answers 401 to one that does not verify.
 */
class Receiver {
  readonly received: Received[] = [];
  private readonly endpoints = new Map<string, { secrets: string[]; behaviour: Behaviour; count: number }>();
  private server?: Server;
  port = 0;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const endpoint = this.endpoints.get(req.url ?? '');
        if (!endpoint) {
          res.writeHead(404).end();
          return;
        }
        const verified = endpoint.secrets.some((secret) => {
          try {
            new Webhook(secret).verify(body, req.headers as Record<string, string>);
            return true;
          } catch {
            return false;
          }
        });
        const { status, delayMs = 0 } = verified ? endpoint.behaviour(endpoint.count++) : { status: 401 };
        this.received.push({ path: req.url ?? '', id: String(req.headers['webhook-id']), verified, status, body, headers: req.headers });
        setTimeout(() => {
          if (!res.destroyed) res.writeHead(status, { 'content-type': 'text/plain' }).end(verified ? 'ok' : 'bad signature');
        }, delayMs);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  endpoint(path: string, secret: string, behaviour: Behaviour = () => ({ status: 200 })): void {
    this.endpoints.set(path, { secrets: [secret], behaviour, count: 0 });
  }

  setSecrets(path: string, secrets: string[]): void {
    this.endpoints.get(path)!.secrets = secrets;
  }

  setBehaviour(path: string, behaviour: Behaviour): void {
    this.endpoints.get(path)!.behaviour = behaviour;
  }

  at(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((r) => this.server?.close(r));
  }
}

interface Mail {
  subject: string;
  to: { address: string }[];
  text: string;
}

interface Sub {
  id: string;
  secret: string;
  status: string;
}

interface Attempt {
  attempt: number;
  ok: boolean;
  statusCode?: number;
  error?: string;
  latencyMs: number;
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('webhooks: signed deliveries to outside subscribers', () => {
  const kafka = new Kafka({ clientId: 'e2e-webhooks', brokers: [engines.kafkaBrokers], sasl: engines.kafkaSasl, logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  const admin = kafka.admin();
  const receiver = new Receiver();
  let webhooksGroup: string;
  const operatorEmail = `webhook-ops-${runId}@operators.test`;
  let notifier: INestApplication;
  const api = () => request(notifier.getHttpServer());

  const send = async (events: AnyEvent[]) => {
    for (const e of events) await producer.send({ topic: topicOf(e.type).name, acks: -1, messages: [{ key: e.key, value: JSON.stringify(e) }] });
  };
  const posting = (companyId: string, title = 'Webhook Engineer') =>
    createEvent(
      'posting.published',
      {
        postingId: uuidv7(), companyId, externalId: `ext-${uuidv7()}`, revision: 1, title, status: 'published',
        location: 'Singapore', workplaceType: 'on-site', employmentType: 'full-time', description: 'Hooks.', postedAt: new Date().toISOString(),
      },
      'e2e',
    ) as AnyEvent;
  const subscribe = async (path: string, body: Record<string, unknown>, behaviour?: Behaviour): Promise<Sub> => {
    const res = await api().post('/v1/webhooks/subscriptions').set(asOperator).send({ url: receiver.url(path), ...body }).expect(201);
    const sub = res.body as Sub;
    expect(sub.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    receiver.endpoint(path, sub.secret, behaviour);
    return sub;
  };
  const attemptsOf = async (subId: string, eventId: string): Promise<{ status: string; attemptLog: Attempt[] }> =>
    (await api().get(`/v1/webhooks/subscriptions/${subId}/deliveries/${subId}.${eventId}`).set(asOperator).expect(200)).body as { status: string; attemptLog: Attempt[] };

  beforeAll(async () => {
    await receiver.start();
    let groupId: string;
    ({ app: notifier, groupId } = await startNotifier('wh', {
      CONSUMER_FROM_BEGINNING: 'latest',
      INGEST_API_KEYS: testApiKeys,
      WEBHOOK_REQUIRE_HTTPS: 'false',
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'loopback',
      WEBHOOK_ATTEMPTS: '6',
      WEBHOOK_BACKOFF_BASE_MS: '300',
      WEBHOOK_BACKOFF_MAX_MS: '1500',
      WEBHOOK_TIMEOUT_MS: '1000',
      WEBHOOK_DISABLE_AFTER_FAILURES: '4',
      WEBHOOK_DISABLE_AFTER_MS: '0',
      WEBHOOK_OPERATOR_EMAIL: operatorEmail,
      NOTIFIER_JOB_LOCK_MS: '3000',
    }));
    await waitReady(notifier, 60_000);
    webhooksGroup = `${groupId}-webhooks`;
    await groupPinned(webhooksGroup, TopicCatalog.map((t) => t.name));
    await Promise.all([producer.connect(), admin.connect()]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([producer.disconnect(), admin.disconnect()]);
    await notifier?.close();
    await receiver.stop();
  });

  const members = async () => (await admin.describeGroups([webhooksGroup])).groups[0].members.length;
  /** Until the webhooks group has committed past this event: it is behind by nothing there. */
  const committedPast = async (event: AnyEvent) => {
    const topic = topicOf(event.type).name;
    const ends = await admin.fetchTopicOffsets(topic);
    await eventually(async () => {
      const [offsets] = await admin.fetchOffsets({ groupId: webhooksGroup, topics: [topic] });
      return offsets.partitions.every((p) => BigInt(p.offset) >= BigInt(ends.find((e) => e.partition === p.partition)!.high)) ? true : undefined;
    }, 30_000, 250);
  };

  it('runs no webhooks group while nobody has subscribed, and keeps its offsets at the end of the topics', async () => {
    expect((await api().get('/v1/webhooks/subscriptions').set(asOperator).expect(200)).body).toEqual({ subscriptions: [] });
    expect(await members()).toBe(0);
    const unseen = posting(`wh-before-${runId}`);
    await send([unseen]);
    await committedPast(unseen); // skipped to the end: no lag, and nothing older reaches a later subscription
    expect(await members()).toBe(0);
  }, 60_000);

  it('refuses bad subscriptions with a problem+json naming the field, and non-operators', async () => {
    const before = (await api().get('/v1/webhooks/subscriptions').set(asOperator).expect(200)).body as { subscriptions: unknown[] };
    for (const [url, says] of [
      ['http://169.254.169.254/latest/meta-data', 'link-local'],
      ['http://10.0.0.7/hook', 'private'],
      ['http://[::ffff:192.168.0.1]/hook', 'private'],
      ['ftp://example.com/hook', 'http(s)'],
      ['http://user:pw@127.0.0.1/hook', 'credentials'],
    ]) {
      const res = await api().post('/v1/webhooks/subscriptions').set(asOperator).send({ url, events: ['*'] }).expect(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.detail).toContain('/url');
      expect(res.body.detail).toContain(says);
    }
    const unknownEvent = await api().post('/v1/webhooks/subscriptions').set(asOperator).send({ url: receiver.url('/x'), events: ['posting.nope'] }).expect(400);
    expect(unknownEvent.body.detail).toContain('/events/0');
    await api().post('/v1/webhooks/subscriptions').set(asOperator).send({ url: receiver.url('/x'), events: ['*'], extra: 1 }).expect(400);
    await api().post('/v1/webhooks/subscriptions').send({ url: receiver.url('/x'), events: ['*'] }).expect(401);
    await api().post('/v1/webhooks/subscriptions').set(asRecruiter).send({ url: receiver.url('/x'), events: ['*'] }).expect(403);
    await api().get('/v1/webhooks/subscriptions/sub_000000000000000000000000').set(asOperator).expect(404);
    await api().get('/v1/webhooks/subscriptions/nope').set(asOperator).expect(400);
    const after = (await api().get('/v1/webhooks/subscriptions').set(asOperator).expect(200)).body as { subscriptions: unknown[] };
    expect(after.subscriptions).toHaveLength(before.subscriptions.length);
    const docs = (await api().get('/docs-json').expect(200)).body as { paths: Record<string, unknown> };
    expect(Object.keys(docs.paths)).toEqual(expect.arrayContaining(['/v1/webhooks/subscriptions', '/v1/webhooks/subscriptions/{id}/redeliver', '/v1/webhooks/subscriptions/{id}/deliveries/{deliveryId}/redeliver']));
  });

  it('delivers a signed event the receiver verifies, with the event id as webhook-id and the envelope as body; the log shows it', async () => {
    const company = `wh-co-${runId}`;
    const sub = await subscribe('/deliver', { events: ['posting.published'], companyId: company });
    const listed = (await api().get('/v1/webhooks/subscriptions').set(asOperator).expect(200)).body as { subscriptions: Record<string, unknown>[] };
    const mine = listed.subscriptions.find((s) => s.id === sub.id)!;
    expect(mine.status).toBe('active');
    expect(mine).not.toHaveProperty('secret');
    expect(JSON.stringify(listed)).not.toContain(sub.secret);

    const event = posting(company);
    await send([event, posting(`other-${runId}`)]);
    const got = await eventually(async () => (receiver.at('/deliver').length >= 1 ? receiver.at('/deliver') : undefined), 30_000);
    await settle(1500);
    expect(receiver.at('/deliver')).toHaveLength(1); // the other company's posting was not sent
    expect(got[0]).toMatchObject({ id: event.id, verified: true, status: 200 });
    expect(JSON.parse(got[0].body)).toEqual(JSON.parse(JSON.stringify(event)));
    expect(got[0].headers['content-type']).toBe('application/json');
    expect(Math.abs(Number(got[0].headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(60);

    const detail = await eventually(async () => {
      const d = await attemptsOf(sub.id, event.id);
      return d.status === 'delivered' ? d : undefined;
    });
    expect(detail.attemptLog).toHaveLength(1);
    expect(detail.attemptLog[0]).toMatchObject({ attempt: 1, ok: true, statusCode: 200 });
    expect(detail.attemptLog[0].latencyMs).toBeGreaterThanOrEqual(0);
    const page = (await api().get(`/v1/webhooks/subscriptions/${sub.id}/deliveries?limit=10`).set(asOperator).expect(200)).body as { deliveries: { eventId: string; status: string; attempts: number }[] };
    expect(page.deliveries).toEqual([expect.objectContaining({ eventId: event.id, status: 'delivered', attempts: 1 })]);
  }, 60_000);

  it('retries after 500s and after a timeout, with the same webhook-id, until the receiver accepts', async () => {
    const company = `wh-retry-${runId}`;
    const flaky = await subscribe('/flaky', { events: ['posting.published'], companyId: company }, (n) => ({ status: n < 2 ? 500 : 200 }));
    const slow = await subscribe('/slow', { events: ['posting.published'], companyId: company }, (n) => (n === 0 ? { status: 200, delayMs: 2500 } : { status: 200 }));
    const event = posting(company);
    await send([event]);
    await eventually(async () => (receiver.at('/flaky').some((r) => r.status === 200) && receiver.at('/slow').length >= 2 ? true : undefined), 60_000);

    const flakyGot = receiver.at('/flaky');
    expect(flakyGot.map((r) => r.status)).toEqual([500, 500, 200]);
    expect(flakyGot.every((r) => r.id === event.id && r.verified)).toBe(true);
    const flakyLog = await eventually(async () => {
      const d = await attemptsOf(flaky.id, event.id);
      return d.status === 'delivered' ? d : undefined;
    });
    expect(flakyLog.attemptLog.map((a) => [a.ok, a.statusCode])).toEqual([[false, 500], [false, 500], [true, 200]]);

    const slowLog = await eventually(async () => {
      const d = await attemptsOf(slow.id, event.id);
      return d.status === 'delivered' ? d : undefined;
    });
    expect(slowLog.attemptLog).toHaveLength(2);
    expect(slowLog.attemptLog[0]).toMatchObject({ ok: false, error: 'timed out after 1000 ms' });
    expect(slowLog.attemptLog[0].latencyMs).toBeGreaterThanOrEqual(1000);
    expect(slowLog.attemptLog[1]).toMatchObject({ ok: true, statusCode: 200 });
    expect(receiver.at('/slow').every((r) => r.id === event.id && r.verified)).toBe(true);
  }, 90_000);

  it('a receiver rejects a tampered body or signature; after a rotation both secrets verify during the grace period', async () => {
    const company = `wh-tamper-${runId}`;
    const sub = await subscribe('/tamper', { events: ['posting.published'], companyId: company });
    const event = posting(company);
    await send([event]);
    const [genuine] = await eventually(async () => (receiver.at('/tamper').length >= 1 ? receiver.at('/tamper') : undefined), 30_000);
    expect(genuine.verified).toBe(true);
    const headers = { 'content-type': 'application/json', 'webhook-id': genuine.id, 'webhook-timestamp': String(genuine.headers['webhook-timestamp']) };
    const signature = String(genuine.headers['webhook-signature']);
    const tamperedBody = genuine.body.replace('Webhook Engineer', 'Webhook Engineer (paid double)');
    const replay = async (body: string, sig: string) =>
      (await fetch(receiver.url('/tamper'), { method: 'POST', headers: { ...headers, 'webhook-signature': sig }, body })).status;
    expect(await replay(genuine.body, signature)).toBe(200); // the genuine request still verifies
    expect(await replay(tamperedBody, signature)).toBe(401);
    const sigBytes = Buffer.from(signature.slice(3), 'base64');
    sigBytes[0] ^= 1;
    expect(await replay(genuine.body, `v1,${sigBytes.toString('base64')}`)).toBe(401);
    expect(receiver.at('/tamper').map((r) => r.verified)).toEqual([true, true, false, false]);

    const rotated = (await api().post(`/v1/webhooks/subscriptions/${sub.id}/secret/rotate`).set(asOperator).expect(201)).body as { secret: string; previousSecretValidUntil: string };
    expect(rotated.secret).not.toBe(sub.secret);
    const next = posting(company);
    await send([next]);
    const afterRotation = await eventually(async () => receiver.at('/tamper').find((r) => r.id === next.id), 30_000);
    expect(String(afterRotation.headers['webhook-signature']).split(' ')).toHaveLength(2);
    for (const secret of [sub.secret, rotated.secret]) {
      expect(() => new Webhook(secret).verify(afterRotation.body, afterRotation.headers as Record<string, string>)).not.toThrow();
    }
  }, 60_000);

  it('disables an endpoint that keeps failing, emails the operator, skips its events; re-enabled, a range redelivery sends what it missed', async () => {
    const company = `wh-down-${runId}`;
    const sub = await subscribe('/down', { events: ['posting.published'], companyId: company }, () => ({ status: 503 }));
    const first = posting(company);
    await send([first]);
    const mail = await eventually(async () => {
      const all = (await (await fetch(`${engines.smtpApi}/email`)).json()) as Mail[];
      return all.find((m) => m.to.some((t) => t.address === operatorEmail) && m.subject === `Webhook subscription ${sub.id} was disabled`);
    }, 60_000, 500);
    expect(mail.text).toContain(receiver.url('/down'));
    expect(mail.text).toContain('4 failed attempts in a row');
    const disabled = (await api().get(`/v1/webhooks/subscriptions/${sub.id}`).set(asOperator).expect(200)).body as { status: string; disabledReason: string };
    expect(disabled.status).toBe('disabled');
    expect(receiver.at('/down')).toHaveLength(4);
    expect((await attemptsOf(sub.id, first.id)).status).toBe('failed');

    const whileDisabled = posting(company);
    await send([whileDisabled]);
    const skipped = await eventually(async () => {
      const r = await api().get(`/v1/webhooks/subscriptions/${sub.id}/deliveries/${sub.id}.${whileDisabled.id}`).set(asOperator);
      return r.status === 200 ? (r.body as { status: string; lastError: string }) : undefined;
    });
    expect(skipped).toMatchObject({ status: 'skipped', lastError: 'subscription disabled' });
    await api().post(`/v1/webhooks/subscriptions/${sub.id}/redeliver`).set(asOperator).send({ from: new Date(Date.now() - 600_000).toISOString(), to: new Date().toISOString() }).expect(409);
    expect(receiver.at('/down')).toHaveLength(4);

    receiver.setBehaviour('/down', () => ({ status: 204 }));
    const enabled = (await api().patch(`/v1/webhooks/subscriptions/${sub.id}`).set(asOperator).send({ status: 'active' }).expect(200)).body as Record<string, unknown>;
    expect(enabled.status).toBe('active');
    expect(enabled).not.toHaveProperty('disabledReason');
    const queued = (await api().post(`/v1/webhooks/subscriptions/${sub.id}/redeliver`).set(asOperator).send({ from: new Date(Date.now() - 600_000).toISOString(), to: new Date().toISOString() }).expect(202)).body as { queued: number };
    expect(queued.queued).toBe(2);
    await eventually(async () => (receiver.at('/down').filter((r) => r.status === 204).length >= 2 ? true : undefined), 30_000);
    expect(receiver.at('/down').filter((r) => r.status === 204).map((r) => r.id).sort()).toEqual([first.id, whileDisabled.id].sort());
    // One email per outage, however many workers saw the failures.
    const mails = (await (await fetch(`${engines.smtpApi}/email`)).json()) as Mail[];
    expect(mails.filter((m) => m.to.some((t) => t.address === operatorEmail) && m.subject.includes(sub.id))).toHaveLength(1);
  }, 90_000);

  it('redelivers one delivery, or a time range, with the original webhook-id', async () => {
    const company = `wh-again-${runId}`;
    const sub = await subscribe('/again', { events: ['posting.published'], companyId: company });
    const events = [posting(company), posting(company), posting(company)];
    const from = new Date(Date.now() - 1000).toISOString();
    await send(events);
    await eventually(async () => (receiver.at('/again').length >= 3 ? true : undefined), 30_000);
    await eventually(async () => ((await attemptsOf(sub.id, events[2].id)).status === 'delivered' ? true : undefined));

    await api().post(`/v1/webhooks/subscriptions/${sub.id}/deliveries/${sub.id}.${events[1].id}/redeliver`).set(asOperator).expect(202);
    await eventually(async () => (receiver.at('/again').length >= 4 ? true : undefined), 30_000);
    expect(receiver.at('/again')[3]).toMatchObject({ id: events[1].id, verified: true });
    expect((await attemptsOf(sub.id, events[1].id)).attemptLog).toHaveLength(2);
    await api().post(`/v1/webhooks/subscriptions/${sub.id}/deliveries/${sub.id}.${uuidv7()}/redeliver`).set(asOperator).expect(404);

    const range = (await api().post(`/v1/webhooks/subscriptions/${sub.id}/redeliver`).set(asOperator).send({ from, to: new Date().toISOString() }).expect(202)).body as { queued: number };
    expect(range.queued).toBe(3);
    await eventually(async () => (receiver.at('/again').length >= 7 ? true : undefined), 30_000);
    await settle(1000);
    const got = receiver.at('/again');
    expect(got).toHaveLength(7);
    expect(got.every((r) => r.verified)).toBe(true);
    expect(got.slice(4).map((r) => r.id).sort()).toEqual(events.map((e) => e.id).sort());
    await api().post(`/v1/webhooks/subscriptions/${sub.id}/redeliver`).set(asOperator).send({ from: new Date().toISOString(), to: from }).expect(400);

    const page1 = (await api().get(`/v1/webhooks/subscriptions/${sub.id}/deliveries?limit=2`).set(asOperator).expect(200)).body as { deliveries: { eventId: string }[]; next: string };
    expect(page1.deliveries).toHaveLength(2);
    const page2 = (await api().get(`/v1/webhooks/subscriptions/${sub.id}/deliveries?limit=2&cursor=${page1.next}`).set(asOperator).expect(200)).body as { deliveries: { eventId: string }[]; next?: string };
    expect(page2.deliveries).toHaveLength(1);
    expect(page2.next).toBeUndefined();
    expect([...page1.deliveries, ...page2.deliveries].map((d) => d.eventId).sort()).toEqual(events.map((e) => e.id).sort());
  }, 90_000);

  it('sends restricted (PII) events only to the subscription scoped to their company, never to an unscoped one', async () => {
    const company = `wh-pii-${runId}`;
    const unscoped = await subscribe('/public', { events: ['*'] });
    await subscribe('/scoped', { events: ['*'], companyId: company });
    await subscribe('/elsewhere', { events: ['*'], companyId: `wh-pii-other-${runId}` });
    const pub = posting(company, 'PII test role');
    const applicant = { name: 'Pia Private', email: `pia-${runId}@candidates.test`, resumeUrl: 'https://cv.example/pia.pdf' };
    const accepted = createEvent('application.accepted', {
      applicationId: uuidv7(), candidateId: `cpii${runId}`, postingId: pub.key, companyId: company, postingTitle: 'PII test role', applicant, decidedAt: new Date().toISOString(),
    }, 'e2e') as AnyEvent;
    const team = createEvent('hiring-team.updated', { postingId: pub.key, companyId: company, revision: 1, postingTitle: 'PII test role', members: [{ name: 'Rae Recruiter', email: `rae-${runId}@recruiters.test` }] }, 'e2e') as AnyEvent;
    await send([pub, accepted, team]);
    await eventually(async () => (receiver.at('/scoped').length >= 3 ? true : undefined), 30_000);
    await eventually(async () => (receiver.at('/public').some((r) => r.id === pub.id) ? true : undefined), 30_000);
    await settle(2000);
    expect(receiver.at('/scoped').map((r) => r.id).sort()).toEqual([pub.id, accepted.id, team.id].sort());
    const publicIds = receiver.at('/public').map((r) => r.id);
    expect(publicIds).toContain(pub.id);
    expect(publicIds).not.toContain(accepted.id);
    expect(publicIds).not.toContain(team.id);
    expect(receiver.at('/public').some((r) => r.body.includes(applicant.email) || r.body.includes('rae-'))).toBe(false);
    expect(receiver.at('/elsewhere')).toHaveLength(0);
    const log = (await api().get(`/v1/webhooks/subscriptions/${unscoped.id}/deliveries?limit=100`).set(asOperator).expect(200)).body as { deliveries: { eventId: string }[] };
    expect(log.deliveries.map((d) => d.eventId)).not.toContain(accepted.id);
  }, 60_000);

  it('pauses and deletes subscriptions', async () => {
    const company = `wh-pause-${runId}`;
    const sub = await subscribe('/paused', { events: ['posting.published'], companyId: company });
    await api().patch(`/v1/webhooks/subscriptions/${sub.id}`).set(asOperator).send({ status: 'paused' }).expect(200);
    await api().patch(`/v1/webhooks/subscriptions/${sub.id}`).set(asOperator).send({ status: 'disabled' }).expect(400);
    const event = posting(company);
    await send([event]);
    const d = await eventually(async () => {
      const r = await api().get(`/v1/webhooks/subscriptions/${sub.id}/deliveries/${sub.id}.${event.id}`).set(asOperator);
      return r.status === 200 ? (r.body as { status: string }) : undefined;
    });
    expect(d.status).toBe('skipped');
    expect(receiver.at('/paused')).toHaveLength(0);
    await api().delete(`/v1/webhooks/subscriptions/${sub.id}`).set(asOperator).expect(204);
    await api().delete(`/v1/webhooks/subscriptions/${sub.id}`).set(asOperator).expect(404);
    await api().get(`/v1/webhooks/subscriptions/${sub.id}`).set(asOperator).expect(404);
  }, 60_000);

  it('stops the webhooks group once the last subscription is deleted, and starts it again at the next one\'s creation', async () => {
    const { subscriptions } = (await api().get('/v1/webhooks/subscriptions').set(asOperator).expect(200)).body as { subscriptions: Sub[] };
    for (const sub of subscriptions) await api().delete(`/v1/webhooks/subscriptions/${sub.id}`).set(asOperator).expect(204);
    await eventually(async () => ((await members()) === 0 ? true : undefined), 30_000, 250);
    const whileNone = posting(`wh-restart-${runId}`);
    await send([whileNone]);
    await committedPast(whileNone);

    const sub = await subscribe('/restart', { events: ['posting.published'], companyId: `wh-restart-${runId}` });
    const event = posting(`wh-restart-${runId}`);
    await send([event]);
    await eventually(async () => (receiver.at('/restart').length >= 1 ? true : undefined), 30_000);
    expect(await members()).toBe(1);
    await settle(1500);
    // The posting published while nobody subscribed was skipped past (and may be within the clock allowance): not sent.
    expect(receiver.at('/restart').map((r) => r.id)).toEqual([event.id]);
    await api().delete(`/v1/webhooks/subscriptions/${sub.id}`).set(asOperator).expect(204);
  }, 90_000);
});

describe('webhooks: the subscription API is rate-limited per API key', () => {
  let notifier: INestApplication;

  beforeAll(async () => {
    ({ app: notifier } = await startNotifier('wh-limit', { CONSUMER_FROM_BEGINNING: 'latest', INGEST_API_KEYS: testApiKeys, WEBHOOK_API_RATE_LIMIT: '3' }));
    await waitReady(notifier, 60_000);
  }, 120_000);

  afterAll(async () => {
    await notifier?.close();
  });

  it('answers a key over its budget 429 with Retry-After, and spends nothing on a request refused before it', async () => {
    const api = () => request(notifier.getHttpServer());
    // Refused by authentication first: no key, so no budget of anyone's is spent.
    await api().get('/v1/webhooks/subscriptions').expect(401);
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await api().get('/v1/webhooks/subscriptions').set(asOperator)).status);
    const refused = await api().get('/v1/webhooks/subscriptions').set(asOperator);
    expect([...statuses, refused.status]).toEqual([200, 200, 200, 429]);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.stringify(refused.body)).toMatch(/Rate limit exceeded/);
    // Writes share the budget with reads.
    await api().post('/v1/webhooks/subscriptions').set(asOperator).send({ url: 'http://127.0.0.1:9/never', events: ['posting.published'] }).expect(429);
  }, 60_000);
});
