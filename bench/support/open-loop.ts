import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { send } from './http';
import { now, sleep } from './util';

/** One HTTP request of a probe, planned in full beforehand, so that a worker thread can send it with no client or corpus of the bench's. */
export interface PlannedRequest {
  method: 'GET' | 'POST';
  url: string;
  body?: string;
  contentType?: string;
  /** An `_msearch`: a search in it the engine failed fails the probe (as OpenSearchGateway.msearch throws). */
  multiSearch?: boolean;
}

/** What one due request of a loop does: its requests one after another (a page read directly is the posting, then its company). */
export type PlannedProbe = readonly PlannedRequest[];

export interface OpenLoopRun {
  /** From when each probe was due to its last answer, ms. */
  latencies: number[];
  failed: number;
  firstError: string;
  /** The loop thread's longest event-loop stall, ms. */
  stallMs: number;
}

type ToWorker = { warm: PlannedProbe[] } | { run: { rate: number; probes: PlannedProbe[] } };
type FromWorker = { warmed: true } | { ran: OpenLoopRun } | { failed: string };

/**
 * Sends probes at a fixed rate, one every 1/rate s whether or not earlier ones have answered, from a
 * worker thread of its own. The bench's main thread holds the corpus (100,000 postings and their
 * events) and collects its heap for tens of milliseconds at a time; a loop on that thread sent late
 * through every such pause, and the lateness counted against whichever side it was measuring. The
 * worker's heap is the plan and the answers, and its own stalls are reported. One worker serves
 * every loop of a phase, warmed up first (warm), so that no loop pays for its compiling.
 */
export class OpenLoopDriver {
  private constructor(private readonly worker: Worker) {}

  static start(timeoutMs = 60_000): OpenLoopDriver {
    // The bench runs under ts-node: the worker loads this file through it too.
    return new OpenLoopDriver(new Worker(__filename, { workerData: { openLoopTimeoutMs: timeoutMs }, execArgv: ['--require', 'ts-node/register/transpile-only'] }));
  }

  /** Sends `probes` one after another, unmeasured: the worker's HTTP client is compiled before any loop counts. */
  async warm(probes: PlannedProbe[]): Promise<void> {
    await this.ask({ warm: probes });
  }

  /** Sends `probes` at `rate` a second; `started` runs just before the first (a CPU snapshot, say). */
  async run(rate: number, probes: PlannedProbe[], started: () => void): Promise<OpenLoopRun> {
    started();
    const answer = await this.ask({ run: { rate, probes } });
    if (!('ran' in answer)) throw new Error('open-loop worker answered out of turn');
    return answer.ran;
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }

  private ask(message: ToWorker): Promise<FromWorker> {
    return new Promise((resolve, reject) => {
      const onMessage = (m: FromWorker) => {
        off();
        if ('failed' in m) reject(new Error(`open-loop worker: ${m.failed}`));
        else resolve(m);
      };
      const onError = (err: Error) => {
        off();
        reject(err);
      };
      const onExit = (code: number) => {
        off();
        reject(new Error(`open-loop worker exited (${code})`));
      };
      const off = () => {
        this.worker.off('message', onMessage);
        this.worker.off('error', onError);
        this.worker.off('exit', onExit);
      };
      this.worker.on('message', onMessage);
      this.worker.on('error', onError);
      this.worker.on('exit', onExit);
      this.worker.postMessage(message);
    });
  }
}

/** Sends a probe's requests one after another; throws on the first that failed. */
export async function sendProbe(probe: PlannedProbe, timeoutMs = 600_000): Promise<void> {
  for (const r of probe) {
    const res = await send(r.method, r.url, r.body === undefined ? undefined : { bytes: Buffer.from(r.body), contentType: r.contentType ?? 'application/json' }, {}, timeoutMs);
    if (res.status < 200 || res.status >= 300) throw new Error(`${r.method} ${r.url}: HTTP ${res.status} ${res.body.slice(0, 120)}`);
    if (r.multiSearch && (JSON.parse(res.body) as { responses: { error?: unknown }[] }).responses.some((s) => s.error)) throw new Error(`${r.url}: a search failed: ${res.body.slice(0, 200)}`);
  }
}

async function loop(rate: number, probes: PlannedProbe[], timeoutMs: number): Promise<OpenLoopRun> {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const start = now();
  const latencies: number[] = [];
  let failed = 0;
  let firstError = '';
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < probes.length; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - now();
    if (wait > 0) await sleep(wait);
    inFlight.push(
      sendProbe(probes[i], timeoutMs).then(
        () => void latencies.push(now() - due),
        (err: unknown) => {
          failed++;
          firstError ||= err instanceof Error ? err.message : String(err);
        },
      ),
    );
  }
  await Promise.all(inFlight);
  delay.disable();
  return { latencies, failed, firstError, stallMs: delay.max / 1e6 };
}

const workerTimeoutMs = (workerData as { openLoopTimeoutMs?: number } | null)?.openLoopTimeoutMs;
if (!isMainThread && workerTimeoutMs !== undefined) {
  const port = parentPort!;
  const answer = async (m: ToWorker): Promise<FromWorker> => {
    if ('run' in m) return { ran: await loop(m.run.rate, m.run.probes, workerTimeoutMs) };
    for (const p of m.warm) await sendProbe(p, workerTimeoutMs);
    return { warmed: true };
  };
  port.on('message', (m: ToWorker) => {
    void answer(m).then(
      (a) => port.postMessage(a),
      (err: unknown) => port.postMessage({ failed: err instanceof Error ? err.message : String(err) } satisfies FromWorker),
    );
  });
}
