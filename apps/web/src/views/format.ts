/** Display formats of the pages (pure, unit-tested). */

const usd0 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** $143,750 for a currency amount; other currencies keep their code ("SGD 90,000"). */
export function money(value: number | null | undefined, currency = 'USD'): string {
  if (value === null || value === undefined) return '—';
  return currency === 'USD' ? `$${usd0.format(value)}` : `${currency} ${usd0.format(value)}`;
}

/** $126.5k, the compact form the seed uses for ranges. */
export function moneyK(value: number | null | undefined, currency = 'USD'): string {
  if (value === null || value === undefined) return '—';
  const prefix = currency === 'USD' ? '$' : `${currency} `;
  if (Math.abs(value) < 1000) return `${prefix}${usd0.format(value)}`;
  const k = Math.round(value / 100) / 10;
  return `${prefix}${k.toFixed(k % 1 === 0 ? 0 : 1)}k`;
}

export const count = (n: number): string => usd0.format(n);

/** One decimal as the read side rounds it (3.5, 1.0); "—" when there is nothing to average. */
export const oneDecimal = (n: number | null | undefined): string => (n === null || n === undefined ? '—' : n.toFixed(1));

/** "1mo", "3d", "5h", "just now": how long ago the posting went up, as job boards show it. */
export function postedAgo(postedAt: string | undefined, now: Date = new Date()): string {
  if (!postedAt) return '';
  const seconds = Math.max(0, (now.getTime() - Date.parse(postedAt)) / 1000);
  if (seconds < 60) return 'just now';
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours}h`;
  const days = Math.floor(hours / 24);
  if (days < 30) return `${days}d`;
  const months = Math.floor(days / 30);
  if (months < 12) return `${months}mo`;
  return `${Math.floor(days / 365)}y`;
}

/** "on-site" → "On-site", "full-time" → "Full-time". */
export const label = (s: string): string => (s ? s[0].toUpperCase() + s.slice(1) : s);

/** $220B / $1.5M: valuations as the company panel shows them. */
export function valuation(usd: number | undefined): string {
  if (usd === undefined || usd === null) return '—';
  const units: [number, string][] = [[1e12, 'T'], [1e9, 'B'], [1e6, 'M'], [1e3, 'K']];
  for (const [size, suffix] of units) if (usd >= size) return `$${Number((usd / size).toFixed(1))}${suffix}`;
  return `$${usd}`;
}

/** "21–35 weeks" from the 25th–75th percentile of durations. */
export function weeksRange(range: readonly [number | null, number | null]): string {
  const [lo, hi] = range;
  if (lo === null || hi === null) return '—';
  const f = (n: number) => String(Number(n.toFixed(1)));
  return lo === hi ? `${f(lo)} weeks` : `${f(lo)}–${f(hi)} weeks`;
}
