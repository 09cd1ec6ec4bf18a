import type { Logger } from 'pino';
import { createKafka, kafkaSasl, partitionsFromEnv, provisionTopics, saslSettingsOf } from '@jobstream/messaging';
import { backoffDelay, sleep } from '@jobstream/messaging/backoff.util';
import type { OpsConfig } from './ops.config';
import { parseGroupIds, principalPasswords, reconcileAcls } from './acl-provision';
import { canLogIn, upsertScramUsers, type BrokerAddress, type ScramUser } from './scram-users';

export interface ProvisionResult {
  topics: { created: string[]; grown: string[] };
  /** Users whose password was (re)set, and users that already logged in with theirs. */
  users: { set: string[]; unchanged: string[] };
  acls: { created: number; deleted: number; unchanged: number };
}

/**
 * Creates every catalog topic (and the dead-letter topics), the services' SCRAM users and their
 * ACLs. Idempotent: a second run changes nothing. Needs a principal allowed to alter the cluster
 * (the broker's admin).
 */
export async function provisionCommand(config: OpsConfig, logger: Logger, env: NodeJS.ProcessEnv = process.env, timeoutMs = 120_000): Promise<ProvisionResult> {
  const groupIds = parseGroupIds(config.KAFKA_ACL_GROUPS);
  const passwords = principalPasswords(config.KAFKA_USER_PASSWORDS_DIR);
  const kafka = createKafka(config, 'jobstream-ops', logger);
  const admin = kafka.admin();
  const deadline = Date.now() + timeoutMs;
  // The broker may still be starting (compose starts the provisioner as soon as Kafka is healthy).
  for (let attempt = 0; ; attempt++) {
    try {
      await admin.connect();
      break;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`Kafka at ${config.KAFKA_BROKERS.join(',')} did not answer within ${timeoutMs} ms: ${(err as Error).message}`);
      await sleep(backoffDelay(attempt, 500, 5000));
    }
  }
  try {
    const topics = await provisionTopics(admin, {
      partitions: partitionsFromEnv(env),
      replicationFactor: config.KAFKA_REPLICATION_FACTOR,
      dlqGroups: config.KAFKA_DLQ_GROUPS,
    });
    logger.info(topics, `topics provisioned: ${topics.created.length} created, ${topics.grown.length} grown`);

    const sasl = kafkaSasl(saslSettingsOf(config));
    const at: BrokerAddress = {
      brokers: config.KAFKA_BROKERS,
      sasl,
      connectionTimeout: config.KAFKA_CONNECTION_TIMEOUT_MS,
      requestTimeout: config.KAFKA_REQUEST_TIMEOUT_MS,
    };
    const users = { set: [] as string[], unchanged: [] as string[] };
    const toSet: ScramUser[] = [];
    for (const [principal, password] of passwords) {
      const user = { name: `${config.KAFKA_PRINCIPAL_PREFIX}${principal}`, password };
      if (await canLogIn(at, user)) users.unchanged.push(user.name);
      else toSet.push(user);
    }
    await upsertScramUsers(at, toSet);
    users.set.push(...toSet.map((u) => u.name));
    logger.info(users, `users provisioned: ${users.set.length} set, ${users.unchanged.length} unchanged`);

    const acls = await reconcileAcls(admin, { groupIds, principalPrefix: config.KAFKA_PRINCIPAL_PREFIX });
    logger.info(acls, `ACLs provisioned: ${acls.created} created, ${acls.deleted} deleted, ${acls.unchanged} unchanged`);
    return { topics, users, acls };
  } finally {
    await admin.disconnect();
  }
}
