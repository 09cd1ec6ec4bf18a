/** What one bench run does: the sizes of every phase, for `--quick` and the full run. */
export interface BenchPlan {
  mode: 'quick' | 'full';
  /** Service/baseline pairs measured per throughput figure (interleaved: svc, base, svc, base, ...). */
  rounds: number;
  ingest: {
    seconds: number;
    warmupSeconds: number;
    /** Concurrent HTTP clients (and concurrent bare `send` calls) for the single-event route. */
    singleClients: number;
    /** Concurrent clients posting beacons of `batchSize` events. */
    batchClients: number;
    batchSize: number;
  };
  analytics: { events: number; postings: number };
  listings: { postings: number };
  lag: {
    seconds: number;
    /**
     * The same load offered first for this long, with no probe: the engines (JVMs: Kafka, OpenSearch)
     * and the services (V8) are freshly started and compile their hot paths under it, which a
     * long-running deployment has done long before. Only what follows is measured.
     */
    warmupSeconds: number;
    /** Engagement events per second offered through the beacon route (probes included). */
    rate: number;
    beaconSize: number;
    /** Analytics probes per second (views of dedicated postings whose counter is polled). */
    analyticsProbesPerSecond: number;
    /** New postings per second through POST /v1/postings, each polled on the listings page. */
    postingsPerSecond: number;
    pollEveryMs: number;
    /** How long after the load stops an effect may still become readable (else: never seen). */
    graceSeconds: number;
    /** Postings the background engagement is spread over. */
    engagedPostings: number;
  };
  notifier: { emails: number; concurrency: number };
  search: {
    clients: number;
    /**
     * Each round of the closed loop, per side (listings, then `_msearch` directly): the clients run
     * back to back for warmupSeconds unmeasured, then seconds measured. A fixed count of requests per
     * client measured mostly the start, when all clients ask at once, and the end, when fewer than
     * all are left.
     */
    closedLoop: { warmupSeconds: number; seconds: number };
    /** Corpus sizes measured, in order (the 50-client run is at the last one). */
    ladder: { size: number; queries: number; pages: number }[];
    /** Open-loop rate (searches or pages per second) and how long it is offered at each size. */
    openLoop: { rate: number; seconds: number };
  };
}

export const PHASES = ['ingest', 'consumers', 'lag', 'notifier', 'search'] as const;
export type Phase = (typeof PHASES)[number];

export interface BenchOptions {
  plan: BenchPlan;
  phases: Set<Phase>;
  /** Record a CPU profile of every service (node --cpu-prof) and summarise where the time went. */
  profile: boolean;
  logLevel: string;
  /** Extra env for every service (what-if runs, e.g. CONSUMER_MAX_BATCH=1000). */
  serviceEnv: Record<string, string>;
}

const QUICK: BenchPlan = {
  mode: 'quick',
  rounds: 1,
  ingest: { seconds: 2, warmupSeconds: 0.5, singleClients: 32, batchClients: 8, batchSize: 100 },
  analytics: { events: 20_000, postings: 200 },
  listings: { postings: 1000 },
  lag: { seconds: 8, warmupSeconds: 2, rate: 1000, beaconSize: 10, analyticsProbesPerSecond: 5, postingsPerSecond: 2, pollEveryMs: 50, graceSeconds: 6, engagedPostings: 200 },
  notifier: { emails: 300, concurrency: 4 },
  search: { clients: 50, closedLoop: { warmupSeconds: 0.5, seconds: 2 }, ladder: [{ size: 1000, queries: 60, pages: 60 }], openLoop: { rate: 100, seconds: 3 } },
};

const FULL: BenchPlan = {
  mode: 'full',
  rounds: 2,
  ingest: { seconds: 6, warmupSeconds: 2, singleClients: 32, batchClients: 8, batchSize: 100 },
  analytics: { events: 100_000, postings: 500 },
  listings: { postings: 2000 },
  lag: { seconds: 60, warmupSeconds: 30, rate: 1000, beaconSize: 10, analyticsProbesPerSecond: 5, postingsPerSecond: 1, pollEveryMs: 50, graceSeconds: 20, engagedPostings: 500 },
  notifier: { emails: 2000, concurrency: 4 },
  search: {
    clients: 50,
    closedLoop: { warmupSeconds: 2, seconds: 10 },
    ladder: [
      { size: 1000, queries: 300, pages: 300 },
      { size: 10_000, queries: 300, pages: 300 },
      { size: 100_000, queries: 300, pages: 300 },
    ],
    openLoop: { rate: 100, seconds: 10 },
  },
};

export function parseArgs(argv: readonly string[]): BenchOptions {
  let quick = false;
  let profile = false;
  let only: Phase[] | undefined;
  let logLevel = 'info';
  const serviceEnv: Record<string, string> = {};
  for (const arg of argv) {
    if (arg === '--quick') quick = true;
    else if (arg === '--profile') profile = true;
    else if (arg.startsWith('--only=')) {
      const names = arg.slice('--only='.length).split(',').filter(Boolean);
      const bad = names.filter((n) => !(PHASES as readonly string[]).includes(n));
      if (bad.length > 0) throw new Error(`--only: unknown phase ${bad.join(', ')} (phases: ${PHASES.join(', ')})`);
      only = names as Phase[];
    } else if (arg.startsWith('--log-level=')) logLevel = arg.slice('--log-level='.length);
    else if (arg.startsWith('--service-env=')) {
      for (const pair of arg.slice('--service-env='.length).split(',').filter(Boolean)) {
        const eq = pair.indexOf('=');
        if (eq <= 0) throw new Error(`--service-env: expected KEY=VALUE, got ${pair}`);
        serviceEnv[pair.slice(0, eq)] = pair.slice(eq + 1);
      }
    } else if (arg === '--help' || arg === '-h') {
      process.stdout.write(
        [
          'usage: npm run bench [-- --quick] [--only=ingest,consumers,lag,notifier,search] [--profile] [--log-level=info] [--service-env=K=V,...]',
          '  --quick        small sizes, under 2 minutes',
          '  --only=...     run only these phases (peak RSS is then only of what ran)',
          '  --profile      record a CPU profile of each service and print where its time went (slows it a little)',
          '  --log-level=L  LOG_LEVEL of the services (default info, the production default)',
          '  --service-env=K=V,...  extra environment for every service (what-if runs; noted in the results)',
          '',
        ].join('\n'),
      );
      process.exit(0);
    } else throw new Error(`unknown argument ${arg} (try --help)`);
  }
  return { plan: quick ? QUICK : FULL, phases: new Set(only ?? PHASES), profile, logLevel, serviceEnv };
}
