import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { Principals, Topics, createEvent, dlqTopic, redriveTopic, type PrincipalName } from '@jobstream/contracts';
import { loadConfig } from '@jobstream/platform/config';
import { createLogger } from '@jobstream/platform/logger';
import { OpsConfigSpec } from '../apps/ops/src/ops.config';
import { provisionCommand, type ProvisionResult } from '../apps/ops/src/provision.command';
import request from 'supertest';
import { searchGroupSuffix } from '../apps/listings/src/search/search.tokens';
import { eventually, startListings, waitReady } from './support/apps';
import { engines, runId } from './support/engines';

/**
 * The broker really enforces the ACL table: every principal is provisioned by `ops provision`
 * (with a per-run username prefix and per-run group ids, so runs never share users or ACLs), then
 * logs in with its own password and is let in, or refused, by the real broker.
 */
describe('Kafka authentication and per-service ACLs', () => {
  const prefix = `acl${runId}-`;
  const groups = { listings: `acl-${runId}-listings`, analytics: `acl-${runId}-analytics`, notifier: `acl-${runId}-notifier` };
  const passwordOf = (p: PrincipalName) => `pw-${runId}-${p}-secret`;
  const dir = mkdtempSync(join(tmpdir(), 'kafka-users-'));
  const consumers: Consumer[] = [];

  const provision = async (): Promise<ProvisionResult> => {
    const config = loadConfig(OpsConfigSpec, {
      KAFKA_BROKERS: engines.kafkaBrokers,
      KAFKA_SASL_USERNAME: engines.kafkaSasl.username,
      KAFKA_SASL_PASSWORD: engines.kafkaSasl.password,
      KAFKA_USER_PASSWORDS_DIR: dir,
      KAFKA_PRINCIPAL_PREFIX: prefix,
      KAFKA_ACL_GROUPS: Object.entries(groups).map(([s, g]) => `${s}=${g}`).join(','),
      KAFKA_DLQ_GROUPS: groups.listings,
    });
    return provisionCommand(config, createLogger('e2e-acl', 'warn'), {}, 30_000);
  };

  const as = (principal: PrincipalName, password = passwordOf(principal)) =>
    new Kafka({
      clientId: `e2e-acl-${principal}`,
      brokers: [engines.kafkaBrokers],
      sasl: { mechanism: 'scram-sha-512', username: `${prefix}${principal}`, password },
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
    });

  /**
   * Joins `group` and fetches `topic` from the beginning: 'read' once a fetch came back, or the
   * broker's refusal (topic or group authorization failed). An empty topic still proves the fetch.
   */
  async function tryRead(principal: PrincipalName, topic: string, group: string): Promise<string> {
    // Retries: the group coordinator of a fresh broker may not be ready yet (a retriable error);
    // authorization errors are never retried.
    const consumer = as(principal).consumer({ groupId: group, allowAutoTopicCreation: false, retry: { retries: 5, initialRetryTime: 300 } });
    consumers.push(consumer);
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      return await new Promise<string>((resolve) => {
        consumer.on(consumer.events.FETCH, () => resolve('read'));
        consumer.on(consumer.events.CRASH, (e) => resolve(refusal(e.payload.error)));
        consumer.run({ eachMessage: async () => undefined }).catch((err: unknown) => resolve(refusal(err)));
        setTimeout(() => resolve('timeout'), 30_000);
      });
    } catch (err) {
      return refusal(err);
    } finally {
      await consumer.disconnect().catch(() => undefined);
    }
  }

  /**
   * A read that should be allowed, retried for a while: on a broker that just started, the group
   * coordinator (the offsets topic) may not be there yet, which kafkajs reports like a refused group.
   */
  const readsEventually = (principal: PrincipalName, topic: string, group: string): Promise<string> =>
    eventually(async () => ((await tryRead(principal, topic, group)) === 'read' ? 'read' : undefined), 90_000, 1000).catch(() => tryRead(principal, topic, group));

  const refusal = (err: unknown): string => {
    const e = err as { type?: string; message?: string };
    if (e.type === 'TOPIC_AUTHORIZATION_FAILED' || /topic authorization|not authorized to access topics/i.test(e.message ?? '')) return 'topic refused';
    if (e.type === 'GROUP_AUTHORIZATION_FAILED' || /group authorization|not authorized to access group/i.test(e.message ?? '')) return 'group refused';
    // kafkajs swallows FindCoordinator's GROUP_AUTHORIZATION_FAILED and reports the coordinator as
    // not found; the positive cases show the coordinator is found for a group the principal may use.
    if ((err as Error).name === 'KafkaJSGroupCoordinatorNotFound') return 'group refused';
    return `other: ${e.type ?? ''} ${e.message ?? String(err)}`;
  };

  async function tryWrite(principal: PrincipalName, topic: string, value: string): Promise<string> {
    const producer = as(principal).producer({ allowAutoTopicCreation: false, retry: { retries: 0 } });
    try {
      await producer.connect();
      await producer.send({ topic, acks: -1, messages: [{ key: `acl-${runId}`, value }] });
      return 'written';
    } catch (err) {
      return refusal(err);
    } finally {
      await producer.disconnect().catch(() => undefined);
    }
  }

  beforeAll(async () => {
    for (const p of Principals) writeFileSync(join(dir, p), `${passwordOf(p)}\n`);
  });

  afterAll(async () => {
    await Promise.all(consumers.map((c) => c.disconnect().catch(() => undefined)));
    rmSync(dir, { recursive: true, force: true });
  });

  it('provisions users and ACLs, and a second run changes nothing', async () => {
    const first = await provision();
    expect(first.users.set.sort()).toEqual(Principals.map((p) => `${prefix}${p}`).sort());
    expect(first.acls.created).toBeGreaterThan(20);
    expect(first.acls.deleted).toBe(0);
    const second = await provision();
    expect(second.users).toEqual({ set: [], unchanged: Principals.map((p) => `${prefix}${p}`) });
    expect(second.acls).toEqual({ created: 0, deleted: 0, unchanged: first.acls.created });
  });

  it('refuses a client without credentials, and one with a wrong password', async () => {
    const anonymous = new Kafka({ clientId: 'e2e-acl-anonymous', brokers: [engines.kafkaBrokers], logLevel: logLevel.NOTHING, retry: { retries: 0 }, connectionTimeout: 2000, requestTimeout: 3000 }).admin();
    await expect(anonymous.connect().then(() => anonymous.listTopics())).rejects.toThrow();
    await anonymous.disconnect().catch(() => undefined);
    const wrong = as('listings', 'not-the-password').admin();
    await expect(wrong.connect()).rejects.toThrow(/SASL|authenticat/i);
    await wrong.disconnect().catch(() => undefined);
  });

  it('lets each service read what it consumes, in its own groups', async () => {
    expect(await readsEventually('listings', Topics.postings, groups.listings)).toBe('read');
    expect(await readsEventually('listings', Topics.applications, `${groups.listings}-applications`)).toBe('read');
    expect(await readsEventually('search', Topics.postings, `${groups.listings}-search-v1`)).toBe('read');
    expect(await readsEventually('analytics', Topics.engagement, groups.analytics)).toBe('read');
    expect(await readsEventually('notifier', Topics.hiringTeams, groups.notifier)).toBe('read');
    expect(await readsEventually('notifier', Topics.applicationOutcomes, groups.notifier)).toBe('read');
    expect(await readsEventually('ops', dlqTopic(groups.listings), `ops-reader-${runId}`)).toBe('read');
    expect(await readsEventually('subscriber', Topics.postings, `subscriber.${runId}`)).toBe('read');
  });

  it('refuses restricted topics and other services’ groups', async () => {
    expect(await tryRead('search', Topics.applications, `${groups.listings}-search-v1`)).toBe('topic refused');
    expect(await tryRead('analytics', Topics.applications, groups.analytics)).toBe('topic refused');
    // The notifier does read applications: its webhooks group delivers them to subscriptions scoped
    // to the applicant's company. A service that consumes no restricted topic gets none.
    expect(await readsEventually('notifier', Topics.applications, `${groups.notifier}-webhooks`)).toBe('read');
    expect(await tryRead('analytics', Topics.hiringTeams, groups.analytics)).toBe('topic refused');
    expect(await tryRead('listings', Topics.hiringTeams, groups.listings)).toBe('topic refused');
    // ingest consumes nothing: it has no group either, and the broker refuses whichever it checks first.
    expect(await tryRead('ingest', Topics.applications, `ingest-${runId}`)).toMatch(/^(topic|group) refused$/);
    expect(await tryRead('ops', Topics.applications, `ops-reader-${runId}-x`)).toBe('topic refused');
    // Topics it may read, in a group that is not its own.
    expect(await tryRead('search', Topics.postings, groups.listings)).toBe('group refused');
    expect(await tryRead('listings', Topics.postings, `${groups.listings}-search-v1`)).toBe('group refused');
    expect(await tryRead('analytics', Topics.postings, groups.notifier)).toBe('group refused');
  });

  it('gives the outside subscriber the public topics only', async () => {
    expect(await tryRead('subscriber', Topics.companies, `subscriber.${runId}-b`)).toBe('read');
    for (const restricted of [Topics.applications, Topics.applicationOutcomes, Topics.hiringTeams]) {
      expect(await tryRead('subscriber', restricted, `subscriber.${runId}-r`)).toBe('topic refused');
    }
    expect(await tryRead('subscriber', Topics.postings, groups.listings)).toBe('group refused');
    expect(await tryWrite('subscriber', Topics.postings, '{}')).toBe('topic refused');
  });

  it('runs listings as its own principal, its search projection as the search principal', async () => {
    const companyId = `acl-app-${runId}`;
    const { app } = await startListings('acl', {
      KAFKA_GROUP_ID: groups.listings,
      KAFKA_SASL_USERNAME: `${prefix}listings`,
      KAFKA_SASL_PASSWORD: passwordOf('listings'),
      KAFKA_SEARCH_SASL_USERNAME: `${prefix}search`,
      KAFKA_SEARCH_SASL_PASSWORD: passwordOf('search'),
      SEARCH_BUILD: 'acl',
    });
    try {
      await waitReady(app, 60_000);
      const company = createEvent('company.upserted', { companyId, name: 'ACL Two Inc' }, 'e2e');
      expect(await tryWrite('ingest', Topics.companies, JSON.stringify(company))).toBe('written');
      await eventually(async () => ((await request(app.getHttpServer()).get(`/v1/companies/${companyId}`)).status === 200 ? true : undefined), 60_000);
      // The search group committed offsets on a topic it reads. The listings principal may not read
      // in that group (checked above), so the search consumer really logged in as `search`. (Any of
      // its topics will do: which it reaches first depends on how much history earlier suites left.)
      const admin = new Kafka({ clientId: 'e2e-acl-check', brokers: [engines.kafkaBrokers], sasl: engines.kafkaSasl, logLevel: logLevel.NOTHING }).admin();
      await admin.connect();
      try {
        // The exact group, not the first that starts with `-search`: the probes above left a
        // `-search-v1` group with no offsets, and listGroups orders groups as it likes.
        const searchGroup = `${groups.listings}-${searchGroupSuffix('acl')}`;
        await eventually(async () => {
          const committed = await admin.fetchOffsets({ groupId: searchGroup, topics: [Topics.postings, Topics.postingStats, Topics.companies, Topics.companyInsights] });
          return committed.some((t) => t.partitions.some((p) => Number(p.offset) > 0)) ? true : undefined;
        }, 60_000);
        const { groups: described } = await admin.describeGroups([searchGroup]);
        expect(described[0].members.length).toBeGreaterThan(0);
      } finally {
        await admin.disconnect();
      }
    } finally {
      await app.close();
    }
  });

  it('lets each service write only what it produces', async () => {
    const company = createEvent('company.upserted', { companyId: `acl-${runId}`, name: 'ACL Inc' }, 'e2e');
    expect(await tryWrite('ingest', Topics.companies, JSON.stringify(company))).toBe('written');
    expect(await tryWrite('listings', dlqTopic(groups.listings), '{}')).toBe('written');
    expect(await tryWrite('ops', redriveTopic(groups.listings), '{}')).toBe('written');
    expect(await tryWrite('analytics', Topics.postings, '{}')).toBe('topic refused');
    expect(await tryWrite('notifier', Topics.applications, '{}')).toBe('topic refused');
    expect(await tryWrite('search', Topics.applicationOutcomes, '{}')).toBe('topic refused');
    expect(await tryWrite('ingest', dlqTopic(groups.listings), '{}')).toBe('topic refused');
  });
});
