import { cpus, loadavg, release, totalmem, type as osType } from 'node:os';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './engines';
import { fmtInt, fmtMb, fmtMs } from './util';

export type Unit = 'events/s' | 'emails/s' | 'searches/s' | 'ms' | 'bytes';

/** One line of the table. `ratio` is always jobstream ÷ baseline. */
export interface ResultRow {
  section: string;
  measure: string;
  unit: Unit;
  jobstream?: number;
  baseline?: number;
  /** What the target says, e.g. "≥ 60 % of baseline", "p99 < 1 s". */
  target?: string;
  met?: boolean;
  /** By how much the target is missed (or beaten), in words. */
  margin?: string;
  note?: string;
  samples?: { jobstream: number[]; baseline: number[] };
  /** Shown instead of the formatted numbers (e.g. "p50 / p99 / max"). */
  display?: { jobstream: string; baseline?: string };
  error?: string;
}

export interface Machine {
  cpu: string;
  cores: number;
  ramGb: number;
  os: string;
  node: string;
  loadAtStart: string;
  loadAtEnd?: string;
  engines: string[];
  /** The code measured: commit, and whether the working tree had changes. */
  code: string;
}

function codeVersion(): string {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'apps', 'libs'], { cwd: ROOT, encoding: 'utf8' }).trim() !== '';
    return `${commit}${dirty ? ' + uncommitted changes in apps/ or libs/' : ''}`;
  } catch {
    return 'unknown';
  }
}

export function machine(engines: string[]): Machine {
  const c = cpus();
  return {
    cpu: c[0]?.model ?? 'unknown',
    cores: c.length,
    ramGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    os: `${osType()} ${release()}`,
    node: process.version,
    loadAtStart: loadavg().map((l) => l.toFixed(2)).join(' '),
    engines,
    code: codeVersion(),
  };
}

export const currentLoad = () => loadavg().map((l) => l.toFixed(2)).join(' ');

function fmt(value: number | undefined, unit: Unit): string {
  if (value === undefined || !Number.isFinite(value)) return '—';
  if (unit === 'ms') return fmtMs(value);
  if (unit === 'bytes') return fmtMb(value);
  return `${fmtInt(value)} ${unit}`;
}

export function ratioOf(row: ResultRow): string {
  if (row.jobstream === undefined || row.baseline === undefined || !row.baseline) return '—';
  const r = row.jobstream / row.baseline;
  if (!Number.isFinite(r)) return '—';
  return row.unit === 'ms' ? `${r.toFixed(2)}×` : `${Math.round(r * 100)} %`;
}

function metOf(row: ResultRow): string {
  if (row.error) return 'error';
  if (row.met === undefined) return '';
  return row.met ? 'yes' : 'NO';
}

const COLUMNS = ['measure', 'jobstream', 'baseline', 'jobstream/baseline', 'target', 'met?'];

function cells(row: ResultRow): string[] {
  const measure = `${row.section}: ${row.measure}`;
  if (row.error) return [measure, `error: ${row.error}`, '', '', row.target ?? '', 'error'];
  return [measure, row.display?.jobstream ?? fmt(row.jobstream, row.unit), row.display?.baseline ?? fmt(row.baseline, row.unit), ratioOf(row), row.target ?? '', metOf(row) + (row.margin ? ` (${row.margin})` : '')];
}

/** The table as aligned plain text, for the terminal. */
export function textTable(rows: readonly ResultRow[]): string {
  const all = [COLUMNS, ...rows.map(cells)];
  const widths = COLUMNS.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [line(all[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...all.slice(1).map(line)].join('\n');
}

export function markdownTable(rows: readonly ResultRow[]): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  return [`| ${COLUMNS.join(' | ')} |`, `|${COLUMNS.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${cells(r).map(esc).join(' | ')} |`)].join('\n');
}

export function machineLines(m: Machine): string[] {
  return [
    `CPU: ${m.cpu}, ${m.cores} cores; RAM ${m.ramGb} GB; ${m.os}; Node ${m.node}`,
    `code: ${m.code}`,
    `load average (1/5/15 min) at start ${m.loadAtStart}${m.loadAtEnd ? `, at end ${m.loadAtEnd}` : ''}`,
    ...m.engines.map((e) => `engine: ${e}`),
  ];
}

export interface Report {
  mode: string;
  startedAt: string;
  durationSeconds: number;
  command: string;
  machine: Machine;
  rows: ResultRow[];
  notes: string[];
  profile?: string[];
}

export function renderMarkdown(r: Report): string {
  return [
    `# jobstream benchmark (${r.mode} run)`,
    '',
    `\`${r.command}\`, started ${r.startedAt}, took ${Math.round(r.durationSeconds)} s.`,
    '',
    ...machineLines(r.machine).map((l) => `- ${l}`),
    '',
    markdownTable(r.rows),
    '',
    '## Notes',
    '',
    ...r.notes.map((n) => `- ${n}`),
    ...(r.profile && r.profile.length > 0 ? ['', '## CPU profiles (--profile)', '', '```', ...r.profile, '```'] : []),
    '',
  ].join('\n');
}

export function renderText(r: Report): string {
  return [
    '',
    `jobstream benchmark (${r.mode}), ${r.startedAt}, ${Math.round(r.durationSeconds)} s`,
    ...machineLines(r.machine),
    '',
    textTable(r.rows),
    '',
    'Notes:',
    ...r.notes.map((n) => `  - ${n}`),
    ...(r.profile && r.profile.length > 0 ? ['', 'CPU profiles:', ...r.profile.map((l) => `  ${l}`)] : []),
    '',
  ].join('\n');
}

/**
 * bench/results/latest.{md,json} (the last complete run) and <mode>.{md,json} (the last complete run
 * of that mode); a run of some phases only (--only) writes partial.{md,json} and leaves those alone.
 */
export function writeResults(r: Report, partial: boolean): string[] {
  const dir = join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const md = renderMarkdown(r);
  const json = `${JSON.stringify(r, null, 2)}\n`;
  const names = partial ? ['partial'] : ['latest', r.mode];
  const files = names.flatMap((n) => [join(dir, `${n}.md`), join(dir, `${n}.json`)]);
  for (const f of files) writeFileSync(f, f.endsWith('.md') ? md : json);
  return files;
}
