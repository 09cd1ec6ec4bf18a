import { int, oneOf, str } from './config';

const TRUST_PROXY_ENTRY = String.raw`(?:loopback|linklocal|uniquelocal|\d{1,3}(?:\.\d{1,3}){3}(?:\/\d{1,2})?|[0-9A-Fa-f]*:[0-9A-Fa-f:.]*(?:\/\d{1,3})?)`;
/** Empty, or a comma-separated list of the names proxy-addr knows, IPs and CIDRs. */
export const TRUST_PROXY_PATTERN = new RegExp(`^(?:${TRUST_PROXY_ENTRY}(?:\\s*,\\s*${TRUST_PROXY_ENTRY})*)?$`);

/** HTTP and logging settings every service has. Ports default per service (see README). */
export const platformConfigSpec = (defaultPort: number) => ({
  PORT: int({ description: 'HTTP port of the service', default: defaultPort, min: 1, max: 65535 }),
  HOST: str({ description: 'Interface the HTTP server binds to', default: '0.0.0.0' }),
  LOG_LEVEL: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, { description: 'pino log level', default: 'info' }),
  HTTP_BODY_LIMIT: str({
    description: 'Largest accepted JSON body (bytes or e.g. "1mb"); larger bodies get 413',
    default: '1mb',
    pattern: /^\d+(b|kb|mb)?$/i,
    hint: 'a size such as 512kb or 1mb',
  }),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: int({
    description: 'How long an idle keep-alive connection stays open; keep it above the idle timeout of any load balancer in front (60 s on most), so the balancer closes idle connections, never the service under a request in flight',
    default: 65000,
    min: 1000,
    max: 600000,
  }),
  SHUTDOWN_TIMEOUT_MS: int({ description: 'Longest graceful shutdown before the process exits anyway', default: 30000, min: 1000 }),
  TRUST_PROXY: str({
    description:
      "Addresses whose X-Forwarded-For is believed (the web front end, a load balancer): comma-separated IPs, CIDRs or loopback / linklocal / uniquelocal. The caller's address then comes from the header, so per-client rate limits count each visitor, not the proxy. Empty: nobody's (the socket's address counts)",
    default: '',
    pattern: TRUST_PROXY_PATTERN,
    hint: 'a comma-separated list such as loopback, 10.0.0.0/8 or 172.28.0.10 (or empty)',
  }),
});
