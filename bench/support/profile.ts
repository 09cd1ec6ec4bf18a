import { readFileSync } from 'node:fs';

interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: CpuProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a function lives: an npm package, node itself, the service's own (bundled) code, or V8. */
function categoryOf(frame: CpuProfileNode['callFrame']): string {
  const { url, functionName } = frame;
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const parts = url.slice(nm + '/node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  if (url.startsWith('node:')) return 'node core';
  if (url.includes('/.local/bench/build/dist/')) return 'jobstream code';
  return 'other';
}

/**
 * Self time of every function in a V8 CPU profile, grouped by package: what a service spent its CPU
 * on. Lines for the report, e.g. "ingest: busy 8.1 s of 40 s: express 21 %, kafkajs 17 %, ...".
 */
export function summariseProfiles(profiles: readonly { label: string; file: string }[]): string[] {
  const lines: string[] = [];
  for (const { label, file } of profiles) {
    let profile: CpuProfile;
    try {
      profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
    } catch {
      continue;
    }
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const parent = new Map<number, number>();
    for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    /** Native and node-core time is charged to the nearest caller in a package or our code: who caused it. */
    const owner = new Map<number, string>();
    const ownerOf = (id: number): string => {
      const cached = owner.get(id);
      if (cached) return cached;
      let cur: number | undefined = id;
      let found = categoryOf(byId.get(id)!.callFrame);
      while (cur !== undefined) {
        const c = categoryOf(byId.get(cur)!.callFrame);
        if (c !== 'node core' && c !== '(native)' && c !== 'other' && !c.startsWith('(')) {
          found = c;
          break;
        }
        cur = parent.get(cur);
      }
      owner.set(id, found);
      return found;
    };
    const byOwner = new Map<string, number>();
    const byCategory = new Map<string, number>();
    const byFunction = new Map<string, number>();
    let total = 0;
    let idle = 0;
    profile.samples.forEach((id, i) => {
      const dt = profile.timeDeltas[i] ?? 0;
      const node = byId.get(id);
      if (!node) return;
      total += dt;
      const category = categoryOf(node.callFrame);
      if (category === '(idle)') {
        idle += dt;
        return;
      }
      byCategory.set(category, (byCategory.get(category) ?? 0) + dt);
      const who = ownerOf(id);
      byOwner.set(who, (byOwner.get(who) ?? 0) + dt);
      const fn = `${node.callFrame.functionName || '(anonymous)'} [${category}]`;
      byFunction.set(fn, (byFunction.get(fn) ?? 0) + dt);
    });
    const busy = total - idle;
    if (busy <= 0) continue;
    const pct = (v: number) => `${((v / busy) * 100).toFixed(0)} %`;
    const top = (m: Map<string, number>, n: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n);
    lines.push(`${label}: busy ${(busy / 1e6).toFixed(1)} s of ${(total / 1e6).toFixed(1)} s profiled`);
    lines.push(`    self time: ${top(byCategory, 9).map(([k, v]) => `${k} ${pct(v)}`).join(', ')}`);
    lines.push(`    charged to the calling package (node core and native time included): ${top(byOwner, 9).map(([k, v]) => `${k} ${pct(v)}`).join(', ')}`);
    for (const [fn, v] of top(byFunction, 8)) lines.push(`    ${pct(v).padStart(5)}  ${fn}`);
  }
  return lines;
}
