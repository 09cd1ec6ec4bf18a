import { createHash, timingSafeEqual } from 'node:crypto';

export type Role = 'operator' | 'recruiter';

export interface ApiKeyEntry {
  /** A label for logs and audits; never the key itself. */
  id: string;
  role: Role;
  /** Companies a recruiter key may write; empty for operators (they may write any). */
  companies: string[];
  /** SHA-256 of the key: the configuration never holds the key itself. */
  hash: Buffer;
}

export interface Principal {
  keyId: string;
  role: Role;
  companies: readonly string[];
}

export const sha256 = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

const ENTRY = /^([A-Za-z0-9._-]{1,64}):(operator|recruiter):([A-Za-z0-9._:+*-]*):([a-f0-9]{64})$/;

/**
 * Parses INGEST_API_KEYS: comma-separated `id:role:companies:sha256hex` entries, where companies
 * is `*` for operators and `companyA+companyB` for recruiters.
 */
export function parseApiKeys(raw: string): ApiKeyEntry[] {
  const entries = raw.split(',').map((s) => s.trim()).filter(Boolean);
  const seen = new Set<string>();
  return entries.map((entry, index) => {
    const m = ENTRY.exec(entry);
    if (!m) throw new Error(`entry ${index + 1} is not id:role:companies:sha256hex (role operator or recruiter)`);
    const [, id, role, companies, hex] = m;
    if (seen.has(id)) throw new Error(`key id ${id} appears twice`);
    seen.add(id);
    const scope = companies === '*' || companies === '' ? [] : companies.split('+');
    if (role === 'recruiter' && scope.length === 0) throw new Error(`recruiter key ${id} must name at least one company`);
    return { id, role: role as Role, companies: scope, hash: Buffer.from(hex, 'hex') };
  });
}

/**
 * Finds the key's entry. Every entry is compared, in constant time, so the answer's timing says
 * nothing about which entries exist or how much of a hash matched.
 */
export function authenticate(entries: readonly ApiKeyEntry[], presented: string | undefined): Principal | undefined {
  if (!presented) return undefined;
  const digest = sha256(presented);
  let found: ApiKeyEntry | undefined;
  for (const entry of entries) {
    if (timingSafeEqual(entry.hash, digest) && !found) found = entry;
  }
  return found && { keyId: found.id, role: found.role, companies: found.companies };
}

export function mayWriteCompany(principal: Principal, companyId: string): boolean {
  return principal.role === 'operator' || principal.companies.includes(companyId);
}
