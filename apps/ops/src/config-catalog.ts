import type { ConfigSpec } from '@jobstream/platform/config';
import { TopicCatalog } from '@jobstream/contracts';
import { IngestConfigSpec } from '../../ingest/src/ingest.config';
import { ListingsConfigSpec } from '../../listings/src/listings.config';
import { AnalyticsConfigSpec } from '../../analytics/src/analytics.config';
import { NotifierConfigSpec } from '../../notifier/src/notifier.config';
import { WebConfigSpec } from '../../web/src/web.config';
import { OpsConfigSpec } from './ops.config';

/** Every service's configuration, for the README table and the compose/README checks. */
export const ServiceConfigSpecs: Record<'ingest' | 'listings' | 'analytics' | 'notifier' | 'web' | 'ops', ConfigSpec> = {
  ingest: IngestConfigSpec,
  listings: ListingsConfigSpec,
  analytics: AnalyticsConfigSpec,
  notifier: NotifierConfigSpec,
  web: WebConfigSpec,
  ops: OpsConfigSpec,
};

/** Partition overrides read by the topic provisioner (`ops provision`). */
export const PartitionVariables = TopicCatalog.map((t) => ({ name: t.partitionsEnv, topic: t.name, default: t.defaultPartitions }));

function formatDefault(value: unknown): string {
  if (value === undefined) return '(required)';
  if (Array.isArray(value)) return value.join(',');
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
}

/** The configuration table of the README, one row per variable with the services that read it. */
export function configTable(): string {
  const rows = new Map<string, { defaults: Map<string, string>; kind: string; description: string }>();
  for (const [service, spec] of Object.entries(ServiceConfigSpecs)) {
    for (const [name, v] of Object.entries(spec)) {
      const def = formatDefault(v.default);
      const row = rows.get(name) ?? { defaults: new Map<string, string>(), kind: v.kind, description: v.description };
      row.defaults.set(service, def === '' ? '(empty)' : def);
      rows.set(name, row);
    }
  }
  for (const p of PartitionVariables) {
    rows.set(p.name, { defaults: new Map([['ops', String(p.default)]]), kind: 'integer', description: `Partitions of the \`${p.topic}\` topic` });
  }
  const lines = ['| variable | services | type | default | meaning |', '|---|---|---|---|---|'];
  for (const [name, r] of rows) {
    const values = [...new Set(r.defaults.values())];
    const def = values.length === 1 ? `\`${values[0]}\`` : [...r.defaults].map(([svc, d]) => `${svc}: \`${d}\``).join(', ');
    lines.push(`| \`${name}\` | ${[...r.defaults.keys()].join(', ')} | ${r.kind.replace(/\|/g, '\\|')} | ${def} | ${r.description} |`);
  }
  return lines.join('\n');
}
