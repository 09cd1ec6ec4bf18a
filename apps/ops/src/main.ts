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

const print = (text: string) => void process.stdout.write(`${text}\n`);

/** Splits `--flag`, `--key value` and positional arguments. */
function parseArgs(args: string[], valued: string[] = []): { positional: string[]; flags: Map<string, string | true> } {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('--')) positional.push(arg);
    else if (valued.includes(arg)) {
      const value = args[++i];
      if (value === undefined) throw new Error(`${arg} needs a value`);
      flags.set(arg, value);
    } else flags.set(arg, true);
  }
  return { positional, flags };
}

function opsKafka() {
  const config = loadConfigOrExit('ops', OpsConfigSpec);
  return { config, kafka: createKafka(config, 'jobstream-ops', createLogger('ops', process.env.LOG_LEVEL ?? 'warn')) };
}

const DLQ_USAGE = 'usage: ops dlq list <group> [--limit N] [--json] | ops dlq show <group> <offset> | ops dlq redrive <group> (--all | <offset>...) [--dry-run]';

async function dlq(args: string[]): Promise<void> {
  const { positional, flags } = parseArgs(args, ['--limit']);
  const [action, group, ...refs] = positional;
  if (!action || !group) throw new Error(DLQ_USAGE);
  const { kafka } = opsKafka();
  switch (action) {
    case 'list': {
      const limit = flags.has('--limit') ? Number(flags.get('--limit')) : undefined;
      if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) throw new Error('--limit must be a whole number of at least 1');
      return dlqListCommand(kafka, group, print, { json: flags.has('--json'), limit });
    }
    case 'show':
      if (refs.length !== 1) throw new Error(DLQ_USAGE);
      return dlqShowCommand(kafka, group, refs[0], print);
    case 'redrive':
      if (refs.length === 0 && !flags.has('--all')) throw new Error('name the letters to re-drive, or pass --all for every letter not re-driven yet');
      if (refs.length > 0 && flags.has('--all')) throw new Error('pass either --all or letter offsets, not both');
      await dlqRedriveCommand(kafka, group, { refs, dryRun: flags.has('--dry-run') }, print);
      return;
    default:
      throw new Error(DLQ_USAGE);
  }
}

/** Operator CLI: `npm run ops -- <command>`. */
const commands: Record<string, { help: string; run: (args: string[]) => Promise<void> }> = {
  provision: {
    help: 'create the catalog and dead-letter topics, the Kafka users and their ACLs (idempotent; run as the broker admin)',
    run: async () => void (await provisionCommand(loadConfigOrExit('ops', OpsConfigSpec), createLogger('ops', process.env.LOG_LEVEL ?? 'info'))),
  },
  'config-docs': {
    help: 'print the configuration table of the README',
    run: () => Promise.resolve(void process.stdout.write(`${configTable()}\n`)),
  },
  'hash-key': {
    help: 'print the SHA-256 of an API key, for INGEST_API_KEYS (id:role:companies:<hash>)',
    run: ([key]) => {
      if (!key) return Promise.reject(new Error('usage: ops hash-key <key>'));
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
      const { positional, flags } = parseArgs(args);
      const { config, kafka } = opsKafka();
      await lagCommand(kafka, positional.length > 0 ? positional : config.KAFKA_DLQ_GROUPS, print, { json: flags.has('--json') });
    },
  },
  progress: {
    help: 'progress bar of a (rebuilding) group through its topics: <group> [--watch] [--topics a,b]',
    run: async (args) => {
      const { positional, flags } = parseArgs(args, ['--topics']);
      if (positional.length !== 1) throw new Error('usage: ops progress <group> [--watch] [--topics a,b]');
      const topics = flags.has('--topics') ? String(flags.get('--topics')).split(',').filter(Boolean) : undefined;
      const { kafka } = opsKafka();
      const last = await progressCommand(kafka, positional[0], print, { topics, watch: flags.has('--watch'), isTty: process.stdout.isTTY });
      if (last.done >= last.total) print('caught up');
    },
  },
  seed: {
    help: 'load the demo data, contributions and engagement through the ingest API (INGEST_URL, default http://127.0.0.1:3000; INGEST_API_KEY, an operator key)',
    run: async () => {
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
