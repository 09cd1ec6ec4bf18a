import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './engines';
import type { Fleet } from './services';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** CPU seconds (user + system) a process has used, from /proc/<pid>/stat; undefined once it is gone. */
export function processCpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces: count fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** Busy and total CPU seconds of the whole machine (all cores), from /proc/stat. */
export function machineCpuSeconds(): { busy: number; total: number } {
  const [cpu] = readFileSync('/proc/stat', 'utf8').split('\n');
  const v = cpu.trim().split(/\s+/).slice(1).map(Number);
  const total = v.reduce((a, b) => a + b, 0);
  const idle = (v[3] ?? 0) + (v[4] ?? 0);
  return { busy: (total - idle) / TICKS_PER_SECOND, total: total / TICKS_PER_SECOND };
}

function pidFrom(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** The engines' processes (pid files of scripts/engines.sh), the private broker's in place of the shared one. */
export function enginePids(kafkaPrivate: boolean): Record<string, number | undefined> {
  const shared = join(process.env.JOBSTREAM_LOCAL_DIR ?? join(ROOT, '.local'), 'run');
  return {
    kafka: pidFrom(join(kafkaPrivate ? join(ROOT, '.local', 'bench', 'run') : shared, 'kafka.pid')),
    ferretdb: pidFrom(join(shared, 'ferretdb.pid')),
    redis: pidFrom(join(shared, 'redis.pid')),
    smtp: pidFrom(join(shared, 'smtp.pid')),
    opensearch: pidFrom(join(shared, 'opensearch.pid')),
  };
}

export interface CpuSnapshot {
  at: number;
  machine: { busy: number; total: number };
  /** Cumulative CPU seconds per process label (services: their processes' sum). */
  byLabel: Map<string, number>;
}

/** "ingest 12.1 s, analytics 8.0 s, …": CPU each process used between two snapshots. */
export function cpuBetween(a: CpuSnapshot, b: CpuSnapshot): { wall: number; machineBusy: number; machineTotal: number; used: [string, number][] } {
  const used: [string, number][] = [];
  for (const [label, end] of b.byLabel) {
    const start = a.byLabel.get(label) ?? 0;
    if (end - start >= 0.05) used.push([label, end - start]);
  }
  used.sort((x, y) => y[1] - x[1]);
  return { wall: (b.at - a.at) / 1000, machineBusy: b.machine.busy - a.machine.busy, machineTotal: b.machine.total - a.machine.total, used };
}

/** CPU used so far by each service, each engine and the bench process, and by the whole machine. */
export function cpuSnapshot(fleet: Fleet, kafkaPrivate: boolean): CpuSnapshot {
  const byLabel = fleet.cpuByService();
  for (const [engine, pid] of Object.entries(enginePids(kafkaPrivate))) {
    const cpu = pid === undefined ? undefined : processCpuSeconds(pid);
    if (cpu !== undefined) byLabel.set(engine, cpu);
  }
  const self = process.cpuUsage();
  byLabel.set('bench process (load, polls, baselines)', (self.user + self.system) / 1e6);
  return { at: Date.now(), machine: machineCpuSeconds(), byLabel };
}

/**
 * Where the machine's CPU went from now until `note()`: per service, per engine, the bench itself,
 * and everything else on the (shared) machine. What bounds a measurement, and how loaded the box was.
 */
export function cpuMeter(fleet: Fleet, kafkaPrivate: boolean): { note: (what: string) => string } {
  const start = cpuSnapshot(fleet, kafkaPrivate);
  return {
    note: (what) => {
      const d = cpuBetween(start, cpuSnapshot(fleet, kafkaPrivate));
      const ours = d.used.reduce((n, [, v]) => n + v, 0);
      const cores = d.machineTotal / d.wall;
      const list = d.used.map(([label, v]) => `${label} ${v.toFixed(1)}`).join(', ');
      return (
        `cpu, ${what}: ${d.wall.toFixed(0)} s on ${cores.toFixed(1)} cores, machine ${Math.round((d.machineBusy / d.machineTotal) * 100)} % busy; CPU-seconds: ${list}` +
        `; everything else on the machine ${Math.max(0, d.machineBusy - ours).toFixed(1)}`
      );
    },
  };
}

/**
 * Waits until a process uses less than `maxCores` of CPU over a second (at most `timeoutMs`): e.g.
 * FerretDB still executing the statements of a listings that was just killed, which would otherwise
 * be measured as the next step's load. Returns the seconds waited.
 */
export async function waitUntilQuiet(pid: number | undefined, timeoutMs = 60_000, maxCores = 0.2): Promise<number> {
  if (pid === undefined) return 0;
  const started = Date.now();
  let last = processCpuSeconds(pid);
  while (last !== undefined && Date.now() - started < timeoutMs) {
    await new Promise((r) => setTimeout(r, 1000));
    const cpu = processCpuSeconds(pid);
    if (cpu === undefined || cpu - last < maxCores) break;
    last = cpu;
  }
  return (Date.now() - started) / 1000;
}
