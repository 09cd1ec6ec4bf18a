import { randomBytes } from 'node:crypto';

/** Cookies of a request header as a map (values URI-decoded; malformed ones skipped). */
export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    try {
      out.set(name, decodeURIComponent(part.slice(eq + 1).trim()));
    } catch {
      // a cookie we did not write; ignore it
    }
  }
  return out;
}

export interface CookieOptions {
  maxAgeSeconds: number;
  path?: string;
  httpOnly?: boolean;
}

export function serializeCookie(name: string, value: string, o: CookieOptions): string {
  return [`${name}=${encodeURIComponent(value)}`, `Max-Age=${o.maxAgeSeconds}`, `Path=${o.path ?? '/'}`, 'SameSite=Lax', ...(o.httpOnly === false ? [] : ['HttpOnly'])].join('; ');
}

/** A pseudonymous viewer id: random, never derived from anything about the person. */
export const newViewerId = (): string => `v-${randomBytes(12).toString('base64url')}`;

export const VIEWER_COOKIE = 'jobstream_viewer';
export const SCRAPS_COOKIE = 'jobstream_scraps';
/** Postings this browser scrapped, newest first, bounded so the cookie stays small. */
export const MAX_REMEMBERED_SCRAPS = 50;

export const isViewerId = (v: string | undefined): v is string => !!v && /^v-[A-Za-z0-9_-]{16}$/.test(v);

export function scrapsOf(cookie: string | undefined): string[] {
  return (cookie ?? '').split(',').filter((s) => /^[A-Za-z0-9._:-]{1,128}$/.test(s));
}

export function withScrap(list: string[], postingId: string, scrapped: boolean): string[] {
  const rest = list.filter((id) => id !== postingId);
  return (scrapped ? [postingId, ...rest] : rest).slice(0, MAX_REMEMBERED_SCRAPS);
}
