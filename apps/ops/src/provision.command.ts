import type { Logger } from 'pino';
import { createKafka, partitionsFromEnv, provisionTopics } from '@jobstream/messaging';
import { backoffDelay, sleep } from '@jobstream/messaging/backoff.util';
import type { OpsConfig } from './ops.config';

/** Creates every catalog topic (and the dead-letter topics) with its partitions and cleanup policy. */
export async function provisionCommand(config: OpsConfig, logger: Logger, env: NodeJS.ProcessEnv = process.env, timeoutMs = 120_000): Promise<void> {
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
    const result = await provisionTopics(admin, {
      partitions: partitionsFromEnv(env),
      replicationFactor: config.KAFKA_REPLICATION_FACTOR,
      dlqGroups: config.KAFKA_DLQ_GROUPS,
    });
    logger.info(result, `topics provisioned: ${result.created.length} created, ${result.grown.length} grown`);
  } finally {
    await admin.disconnect();
  }
}
