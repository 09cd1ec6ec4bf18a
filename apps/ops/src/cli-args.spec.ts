import { parseDlqArgs, parseHashKeyArgs, parseLagArgs, parseNoArgs, parseProgressArgs } from './cli-args';

describe('ops CLI arguments', () => {
  it('parses dlq list with a limit given either way, and --json', () => {
    expect(parseDlqArgs(['list', 'listings', '--limit', '20', '--json'])).toEqual({ action: 'list', group: 'listings', limit: 20, json: true });
    expect(parseDlqArgs(['list', 'listings', '--limit=3'])).toEqual({ action: 'list', group: 'listings', limit: 3, json: false });
    expect(parseDlqArgs(['list', 'listings'])).toEqual({ action: 'list', group: 'listings', limit: undefined, json: false });
  });

  it('refuses a limit that is not a whole number of at least 1', () => {
    for (const bad of ['0', '-1', '2.5', 'ten', '']) expect(() => parseDlqArgs(['list', 'g', `--limit=${bad}`])).toThrow('--limit must be a whole number');
    expect(() => parseDlqArgs(['list', 'g', '--limit'])).toThrow(/--limit/);
  });

  it('parses dlq show and redrive, flags before or after the positionals', () => {
    expect(parseDlqArgs(['show', 'listings', '7'])).toEqual({ action: 'show', group: 'listings', ref: '7' });
    expect(parseDlqArgs(['redrive', 'listings', '7', '9'])).toEqual({ action: 'redrive', group: 'listings', refs: ['7', '9'], dryRun: false });
    expect(parseDlqArgs(['--dry-run', 'redrive', 'listings', '--all'])).toEqual({ action: 'redrive', group: 'listings', refs: [], dryRun: true });
  });

  it('says what is wrong with a dlq command line', () => {
    expect(() => parseDlqArgs(['redrive', 'listings'])).toThrow('--all');
    expect(() => parseDlqArgs(['redrive', 'listings', '7', '--all'])).toThrow('not both');
    expect(() => parseDlqArgs(['show', 'listings'])).toThrow('usage: ops dlq');
    expect(() => parseDlqArgs(['purge', 'listings'])).toThrow('usage: ops dlq');
    expect(() => parseDlqArgs(['list'])).toThrow('usage: ops dlq');
    // A mistyped flag is an error, not silently ignored.
    expect(() => parseDlqArgs(['redrive', 'listings', '--all', '--dryrun'])).toThrow(/--dryrun/);
  });

  it('parses lag and progress', () => {
    expect(parseLagArgs([])).toEqual({ groups: [], json: false });
    expect(parseLagArgs(['listings', 'analytics', '--json'])).toEqual({ groups: ['listings', 'analytics'], json: true });
    expect(parseProgressArgs(['listings-rebuild', '--watch'])).toEqual({ group: 'listings-rebuild', watch: true, topics: undefined });
    expect(parseProgressArgs(['g', '--topics', 'postings,,companies'])).toEqual({ group: 'g', watch: false, topics: ['postings', 'companies'] });
    expect(() => parseProgressArgs([])).toThrow('usage: ops progress');
    expect(() => parseProgressArgs(['a', 'b'])).toThrow('usage: ops progress');
  });

  it('takes a key that starts with a dash after --, and refuses arguments where none belong', () => {
    expect(parseHashKeyArgs(['secret'])).toEqual({ key: 'secret' });
    expect(parseHashKeyArgs(['--', '-dashed'])).toEqual({ key: '-dashed' });
    expect(() => parseHashKeyArgs([])).toThrow('usage: ops hash-key');
    expect(() => parseNoArgs('provision', ['extra'])).toThrow('usage: ops provision');
    expect(() => parseNoArgs('seed', ['--force'])).toThrow(/--force/);
    expect(() => parseNoArgs('seed', [])).not.toThrow();
  });
});
