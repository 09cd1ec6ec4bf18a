import { createHash, createHmac, randomBytes } from 'node:crypto';

/** The one normalization every email goes through before it is hashed or published. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Pseudonymous, stable candidate id: HMAC-SHA256 of the normalized email, truncated to 128 bits.
 * Without the secret it can't be reversed by hashing guessed emails.
 */
export function candidateIdOf(normalizedEmail: string, secret: string): string {
  return `c${createHmac('sha256', secret).update(normalizedEmail, 'utf8').digest('hex').slice(0, 32)}`;
}

/** A bearer secret handed once to the candidate; only its SHA-256 ever leaves ingest. */
export function newReceiptToken(random: (size: number) => Buffer = randomBytes): { token: string; hash: string } {
  const token = random(32).toString('base64url');
  return { token, hash: sha256Hex(token) };
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}
