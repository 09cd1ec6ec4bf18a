import { parseArgs } from 'node:util';

/**
 * The operator CLI's arguments, parsed with node:util's parseArgs: strict, so a mistyped flag is an
 * error instead of being ignored, and `--limit=5` works as well as `--limit 5`.
 */

export const DLQ_USAGE = 'usage: ops dlq list <group> [--limit N] [--json] | ops dlq show <group> <offset> | ops dlq redrive <group> (--all | <offset>...) [--dry-run]';
export const PROGRESS_USAGE = 'usage: ops progress <group> [--watch] [--topics a,b]';

export type DlqArgs =
  | { action: 'list'; group: string; limit?: number; json: boolean }
  | { action: 'show'; group: string; ref: string }
  | { action: 'redrive'; group: string; refs: string[]; dryRun: boolean };

export function parseDlqArgs(args: string[]): DlqArgs {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { limit: { type: 'string' }, json: { type: 'boolean' }, all: { type: 'boolean' }, 'dry-run': { type: 'boolean' } },
  });
  const [action, group, ...refs] = positionals;
  if (!action || !group) throw new Error(DLQ_USAGE);
  switch (action) {
    case 'list': {
      const limit = values.limit === undefined ? undefined : Number(values.limit);
      if (limit !== undefined && (!/^\d+$/.test(values.limit ?? '') || limit < 1)) throw new Error('--limit must be a whole number of at least 1');
      return { action, group, limit, json: values.json ?? false };
    }
    case 'show':
      if (refs.length !== 1) throw new Error(DLQ_USAGE);
      return { action, group, ref: refs[0] };
    case 'redrive':
      if (refs.length === 0 && !values.all) throw new Error('name the letters to re-drive, or pass --all for every letter not re-driven yet');
      if (refs.length > 0 && values.all) throw new Error('pass either --all or letter offsets, not both');
      return { action, group, refs, dryRun: values['dry-run'] ?? false };
    default:
      throw new Error(DLQ_USAGE);
  }
}

export function parseLagArgs(args: string[]): { groups: string[]; json: boolean } {
  const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' } } });
  return { groups: positionals, json: values.json ?? false };
}

export function parseProgressArgs(args: string[]): { group: string; watch: boolean; topics?: string[] } {
  const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { watch: { type: 'boolean' }, topics: { type: 'string' } } });
  if (positionals.length !== 1) throw new Error(PROGRESS_USAGE);
  const topics = values.topics === undefined ? undefined : values.topics.split(',').filter(Boolean);
  return { group: positionals[0], watch: values.watch ?? false, topics };
}

export function parseHashKeyArgs(args: string[]): { key: string } {
  // A key may itself start with "-": everything after `--` is positional.
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
  if (positionals.length !== 1 || !positionals[0]) throw new Error('usage: ops hash-key <key>');
  return { key: positionals[0] };
}

/** For the commands that take no arguments: anything given is a mistake worth saying so. */
export function parseNoArgs(command: string, args: string[]): void {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
  if (positionals.length > 0) throw new Error(`usage: ops ${command} (no arguments)`);
}
