import { createHash } from 'node:crypto';
import { loadConfigOrExit } from '@jobstream/platform/bootstrap';
import { createLogger } from '@jobstream/platform/logger';
import { OpsConfigSpec } from './ops.config';
import { provisionCommand } from './provision.command';
import { seedCommand } from './seed.command';
import { configTable } from './config-catalog';
import { createKafka } from '@jobstream/messaging/kafka.client';
import { dlqListCommand, dlqRedriveCommand, dlqShowCommand } from './dead-letters.command';
import { lagCommand } from './lag.command';
import { progressCommand } from './progress.command';
import { parseDlqArgs, parseHashKeyArgs, parseLagArgs, parseNoArgs, parseProgressArgs } from './cli-args';

const print = (text: string) => void process.stdout.write(`${text}\n`);

function opsKafka() {
  const config = loadConfigOrExit('ops', OpsConfigSpec);
  return { config, kafka: createKafka(config, 'jobstream-ops', createLogger('ops', process.env.LOG_LEVEL ?? 'warn')) };
}

async function dlq(args: string[]): Promise<void> {
  const parsed = parseDlqArgs(args);
  const { kafka } = opsKafka();
  switch (parsed.action) {
    case 'list':
      return dlqListCommand(kafka, parsed.group, print, { json: parsed.json, limit: parsed.limit });
    case 'show':
      return dlqShowCommand(kafka, parsed.group, parsed.ref, print);
    case 'redrive':
      await dlqRedriveCommand(kafka, parsed.group, { refs: parsed.refs, dryRun: parsed.dryRun }, print);
      return;
  }
}

/** Operator CLI: `npm run ops -- <command>`. */
const commands: Record<string, { help: string; run: (args: string[]) => Promise<void> }> = {
  provision: {
    help: 'create the catalog and dead-letter topics, the Kafka users and their ACLs (idempotent; run as the broker admin)',
    run: async (args) => {
      parseNoArgs('provision', args);
      await provisionCommand(loadConfigOrExit('ops', OpsConfigSpec), createLogger('ops', process.env.LOG_LEVEL ?? 'info'));
    },
  },
  'config-docs': {
    help: 'print the configuration table of the README',
    run: (args) => {
      parseNoArgs('config-docs', args);
      return Promise.resolve(void process.stdout.write(`${configTable()}\n`));
    },
  },
  'hash-key': {
    help: 'print the SHA-256 of an API key, for INGEST_API_KEYS (id:role:companies:<hash>)',
    run: (args) => {
      const { key } = parseHashKeyArgs(args);
      process.stdout.write(`${createHash('sha256').update(key, 'utf8').digest('hex')}\n`);
      return Promise.resolve();
    },
  },
  dlq: {
    help: 'dead letters of a consumer group: list, show <offset>, redrive (--all | <offset>...) [--dry-run]',
    run: dlq,
  },
  lag: {
    help: 'consumer lag per group and topic, and dead letters waiting [groups…] [--json] (default: KAFKA_DLQ_GROUPS)',
    run: async (args) => {
      const { groups, json } = parseLagArgs(args);
      const { config, kafka } = opsKafka();
      await lagCommand(kafka, groups.length > 0 ? groups : config.KAFKA_DLQ_GROUPS, print, { json });
    },
  },
  progress: {
    help: 'progress bar of a (rebuilding) group through its topics: <group> [--watch] [--topics a,b]',
    run: async (args) => {
      const { group, watch, topics } = parseProgressArgs(args);
      const { kafka } = opsKafka();
      const last = await progressCommand(kafka, group, print, { topics, watch, isTty: process.stdout.isTTY });
      if (last.done >= last.total) print('caught up');
    },
  },
  seed: {
    help: 'load the demo data, contributions and engagement through the ingest API (INGEST_URL, default http://127.0.0.1:3000; INGEST_API_KEY, an operator key)',
    run: async (args) => {
      parseNoArgs('seed', args);
      const key = process.env.INGEST_API_KEY;
      if (!key) throw new Error('INGEST_API_KEY (an operator key) is required');
      const seeded = await seedCommand(process.env.INGEST_URL ?? 'http://127.0.0.1:3000', key);
      print(`reference posting: ${seeded.referencePostingId}`);
    },
  },
};

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const command = name ? commands[name] : undefined;
  if (!command) {
    process.stderr.write(`usage: ops <command>\n${Object.entries(commands).map(([n, c]) => `  ${n.padEnd(12)} ${c.help}`).join('\n')}\n`);
    return name ? 2 : 0;
  }
  await command.run(args);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`ops: ${(err as Error).message ?? String(err)}\n`);
    process.exit(1);
  },
);
