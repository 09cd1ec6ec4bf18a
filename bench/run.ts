import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { consumersPhase } from './consumers.bench';
import { ingestPhase } from './ingest.bench';
import { lagPhase } from './lag.bench';
import { notifierPhase } from './notifier.bench';
import { searchPhase } from './search.bench';
import { buildServices, SERVICES } from './support/build';
import { cpuMeter } from './support/cpu';
import { createContext, teardown, type BenchContext } from './support/context';
import { ensureEngines } from './support/engines';
import { parseArgs, type Phase } from './support/plan';
import { summariseProfiles } from './support/profile';
import { currentLoad, machine, renderText, writeResults, type ResultRow } from './support/report';
import { errorText, fmtMb, log, now } from './support/util';

const PHASE_RUNNERS: Record<Phase, (ctx: BenchContext) => Promise<void>> = {
  ingest: ingestPhase,
  consumers: consumersPhase,
  lag: lagPhase,
  notifier: notifierPhase,
  search: searchPhase,
};

const RSS_LIMIT = 300 * 1024 * 1024;

function rssRows(ctx: BenchContext): ResultRow[] {
  return SERVICES.filter((s) => ctx.fleet.peaks.has(s)).map((s) => {
    const peak = ctx.fleet.peaks.get(s)!;
    const value = Math.max(peak.hwm, peak.sampled);
    const met = value <= RSS_LIMIT;
    return {
      section: 'rss',
      measure: `${s} peak RSS (VmHWM), highest sample during ${peak.phase || 'start-up'}`,
      unit: 'bytes',
      jobstream: value,
      target: '≤ 300 MB',
      met,
      margin: met ? `${fmtMb(RSS_LIMIT - value)} spare` : `${fmtMb(value - RSS_LIMIT)} over`,
    } satisfies ResultRow;
  });
}

/**
 * Figures on another Node.js release than the pinned one compare with nothing in the README (the
 * services run on the bench's own node, and V8 and the HTTP stack change between majors).
 */
function requirePinnedNode(): void {
  const pinned = readFileSync(join(__dirname, '..', '.nvmrc'), 'utf8').trim().replace(/^v/, '');
  if (process.versions.node.split('.')[0] !== pinned.split('.')[0]) {
    process.stderr.write(`bench: it runs on Node.js ${pinned} (.nvmrc), not ${process.versions.node}: use ./jobstream bench, which installs and uses it\n`);
    process.exit(2);
  }
}

async function main(): Promise<void> {
  requirePinnedNode();
  const started = now();
  const startedAt = new Date().toISOString();
  const options = parseArgs(process.argv.slice(2));
  const [engines] = await Promise.all([ensureEngines(), buildServices()]);
  const info = machine(engines.versions);
  const ctx = await createContext(options, engines);
  log(`run ${ctx.runId}: ${options.plan.mode} mode, phases ${[...options.phases].join(', ')}`);
  let profile: string[] | undefined;
  try {
    for (const phase of Object.keys(PHASE_RUNNERS) as Phase[]) {
      if (!options.phases.has(phase)) continue;
      const t = now();
      const cpu = cpuMeter(ctx.fleet, ctx.engines.kafkaPrivate);
      try {
        await PHASE_RUNNERS[phase](ctx);
        ctx.notes.push(cpu.note(`${phase} phase`));
      } catch (err) {
        log(`${phase}: FAILED: ${errorText(err)}`);
        ctx.rows.push({ section: phase, measure: 'phase failed', unit: 'ms', error: errorText(err).split('\n')[0] });
        ctx.notes.push(`${phase} failed: ${errorText(err)}`);
      }
      log(`${phase}: done in ${((now() - t) / 1000).toFixed(0)} s`);
    }
  } finally {
    ctx.fleet.phase = 'teardown';
    await ctx.fleet.stopAll();
    ctx.rows.push(...rssRows(ctx));
    if (options.profile) profile = summariseProfiles(ctx.fleet.profiles());
    await teardown(ctx);
  }
  info.loadAtEnd = currentLoad();
  const report = {
    mode: options.plan.mode,
    startedAt,
    durationSeconds: (now() - started) / 1000,
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    machine: info,
    rows: ctx.rows,
    notes: ctx.notes,
    profile,
  };
  process.stdout.write(renderText(report));
  const files = writeResults(report, options.phases.size < Object.keys(PHASE_RUNNERS).length);
  log(`results written to ${files.map((f) => f.replace(/^.*\/bench\//, 'bench/')).join(', ')}`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exit(1);
  },
);
