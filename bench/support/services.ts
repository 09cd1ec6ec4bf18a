import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { BUILD_DIR, bundleOf, type ServiceName } from './build';
import { processCpuSeconds } from './cpu';
import { getJson } from './http';
import { log, pollUntil, sleep } from './util';

export const LOG_DIR = join(BUILD_DIR, '..', 'service-logs');
export const PROFILE_DIR = join(BUILD_DIR, '..', 'profiles');

export interface ServiceProcess {
  name: ServiceName;
  /** e.g. "listings" or "listings (search corpus)". */
  label: string;
  pid: number;
  port: number;
  url: string;
  child: ChildProcess;
  exited: boolean;
  logFile: string;
  profileDir?: string;
  /** CPU seconds used, as last sampled (kept after the process is gone). */
  cpu: number;
}

export interface RssPeak {
  /** Highest VmHWM (kernel's peak resident set) of any process of this service. */
  hwm: number;
  /** Highest VmRSS seen by the 250 ms sampler, and in which phase. */
  sampled: number;
  phase: string;
}

/** Peak resident set of a process, from /proc (bytes). */
export function procMemory(pid: number): { rss: number; hwm: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
    const rss = kb('VmRSS');
    const hwm = kb('VmHWM');
    // An exiting (zombie) process has no memory lines.
    return Number.isFinite(rss) && Number.isFinite(hwm) ? { rss, hwm } : undefined;
  } catch {
    return undefined;
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The service processes of a run: started as `node <bundle>` children with their own env, RSS
 * sampled every 250 ms, stopped with SIGTERM (graceful shutdown, so a CPU profile is written).
 */
export class Fleet {
  private readonly procs: ServiceProcess[] = [];
  readonly peaks = new Map<ServiceName, RssPeak>();
  phase = 'start-up';
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly runId: string,
    private readonly profile: boolean,
    /** Applied last, over what each phase sets (what-if runs). */
    private readonly overrides: Record<string, string> = {},
  ) {
    mkdirSync(LOG_DIR, { recursive: true });
    this.timer = setInterval(() => this.sample(), 250);
    this.timer.unref();
  }

  private peakOf(name: ServiceName): RssPeak {
    let p = this.peaks.get(name);
    if (!p) {
      p = { hwm: 0, sampled: 0, phase: '' };
      this.peaks.set(name, p);
    }
    return p;
  }

  /** CPU seconds each service's processes have used so far (exited ones included). */
  cpuByService(): Map<string, number> {
    this.sample();
    const out = new Map<string, number>();
    for (const p of this.procs) out.set(p.name, (out.get(p.name) ?? 0) + p.cpu);
    return out;
  }

  private sample(): void {
    for (const p of this.procs) {
      if (p.exited) continue;
      const cpu = processCpuSeconds(p.pid);
      if (cpu !== undefined && cpu > p.cpu) p.cpu = cpu;
      const m = procMemory(p.pid);
      if (!m) continue;
      const peak = this.peakOf(p.name);
      if (m.rss > peak.sampled) {
        peak.sampled = m.rss;
        peak.phase = this.phase;
      }
      if (m.hwm > peak.hwm) peak.hwm = m.hwm;
    }
  }

  async start(name: ServiceName, env: Record<string, string>, label: string = name): Promise<ServiceProcess> {
    const port = await freePort();
    const tag = label.replace(/[^a-z0-9]+/gi, '-').replace(/-$/, '');
    const logFile = join(LOG_DIR, `${this.runId}-${tag}.log`);
    const out = createWriteStream(logFile, { flags: 'a' });
    const args: string[] = [];
    let profileDir: string | undefined;
    if (this.profile) {
      profileDir = join(PROFILE_DIR, this.runId, tag);
      mkdirSync(profileDir, { recursive: true });
      args.push('--cpu-prof', `--cpu-prof-dir=${profileDir}`);
    }
    args.push(bundleOf(name));
    const child = spawn(process.execPath, args, {
      // Analytics' heap cap, as docker-compose.yml sets it (--service-env may replace it).
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', LANG: 'C.UTF-8', HOST: '127.0.0.1', PORT: String(port), ...(name === 'analytics' ? { NODE_OPTIONS: '--max-old-space-size=192' } : {}), ...env, ...this.overrides },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(out);
    child.stderr?.pipe(out);
    const proc: ServiceProcess = { name, label, pid: child.pid ?? -1, port, url: `http://127.0.0.1:${port}`, child, exited: false, logFile, profileDir, cpu: 0 };
    child.once('exit', () => {
      proc.exited = true;
    });
    this.procs.push(proc);
    const ready = await pollUntil(
      async () => {
        if (proc.exited) throw new Error('exited');
        const res = await getJson(`${proc.url}/health/ready`, 2000);
        return res.status === 200 ? true : undefined;
      },
      90_000,
      200,
    );
    if (!ready) {
      await this.stop(proc);
      const tail = readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n');
      throw new Error(`${label} did not become ready (log ${logFile}):\n${tail}`);
    }
    log(`service: ${label} ready (pid ${proc.pid}, port ${port})`);
    return proc;
  }

  /** SIGTERM (the service's graceful shutdown), SIGKILL after `timeoutMs`. */
  async stop(proc: ServiceProcess, timeoutMs = 20_000): Promise<void> {
    if (proc.exited) return;
    this.sample();
    const m = procMemory(proc.pid);
    if (m && m.hwm > this.peakOf(proc.name).hwm) this.peakOf(proc.name).hwm = m.hwm;
    proc.child.kill('SIGTERM');
    const gone = await pollUntil(() => Promise.resolve(proc.exited ? true : undefined), timeoutMs, 100);
    if (!gone) {
      log(`service: ${proc.label} did not stop within ${Math.round(timeoutMs / 1000)} s of SIGTERM; SIGKILL`);
      proc.child.kill('SIGKILL');
      await sleep(200);
    }
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.procs.filter((p) => !p.exited).map((p) => this.stop(p)));
    clearInterval(this.timer);
  }

  /** CPU profiles written by the processes of this run (only with --profile). */
  profiles(): { label: string; file: string }[] {
    return this.procs.flatMap((p) => (p.profileDir ? readdirSync(p.profileDir).filter((f) => f.endsWith('.cpuprofile')).map((f) => ({ label: p.label, file: join(p.profileDir!, f) })) : []));
  }
}
