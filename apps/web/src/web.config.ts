import { int, str, type ConfigOf } from '@jobstream/platform/config';
import { platformConfigSpec } from '@jobstream/platform/platform.config';

const url = (description: string, def: string) => str({ description, default: def, pattern: /^https?:\/\/[^\s]+[^/]$/, hint: 'an http(s) URL without a trailing slash' });

/** The web front end talks to the public APIs only, as any client would: it needs their addresses. */
export const WebConfigSpec = {
  ...platformConfigSpec(3004),
  WEB_LISTINGS_URL: url('Base URL of the listings read API the pages are rendered from', 'http://127.0.0.1:3001'),
  WEB_ANALYTICS_URL: url('Base URL of the analytics read API (trending sidebars)', 'http://127.0.0.1:3002'),
  WEB_INGEST_URL: url("Base URL of ingest's public write routes (views, scraps, mock applications, applications)", 'http://127.0.0.1:3000'),
  WEB_PUBLIC_URL: url('Base URL of the web front end as browsers reach it (canonical links and JSON-LD url)', 'http://localhost:3004'),
  WEB_UPSTREAM_TIMEOUT_MS: int({ description: 'Longest wait for an API answer before the page shows the part as unavailable', default: 5000, min: 100 }),
};
export type WebConfig = ConfigOf<typeof WebConfigSpec>;
