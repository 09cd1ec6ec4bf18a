import { createHash } from 'node:crypto';
import { loadConfigOrExit } from '@jobstream/platform/bootstrap';
import { createLogger } from '@jobstream/platform/logger';
import { OpsConfigSpec } from './ops.config';
import { provisionCommand } from './provision.command';
import { seedCommand } from './seed.command';
import { configTable } from './config-catalog';

/** Operator CLI: `npm run ops -- <command>`. */
const commands: Record<string, { help: string; run: (args: string[]) => Promise<void> }> = {
  provision: {
    help: 'create the catalog topics and dead-letter topics (idempotent)',
    run: () => provisionCommand(loadConfigOrExit('ops', OpsConfigSpec), createLogger('ops', process.env.LOG_LEVEL ?? 'info')),
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
  seed: {
    help: 'load the demo data through the ingest API (INGEST_URL, default http://127.0.0.1:3000; INGEST_API_KEY, an operator key)',
    run: () => {
      const key = process.env.INGEST_API_KEY;
      if (!key) return Promise.reject(new Error('INGEST_API_KEY (an operator key) is required'));
      return seedCommand(process.env.INGEST_URL ?? 'http://127.0.0.1:3000', key);
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
