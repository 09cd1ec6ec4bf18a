import { candidateIdOf, newReceiptToken, normalizeEmail, sha256Hex } from './candidate.util';

describe('candidate utils', () => {
  it('normalizes emails by trimming and lower-casing', () => {
    expect(normalizeEmail('  Ada.Lovelace@Example.COM \n')).toBe('ada.lovelace@example.com');
  });

  it('derives a stable, secret-dependent, key-safe candidate id', () => {
    const a = candidateIdOf('ada@example.com', 'secret-one-xxxxxxxx');
    expect(a).toMatch(/^c[0-9a-f]{32}$/);
    expect(candidateIdOf('ada@example.com', 'secret-one-xxxxxxxx')).toBe(a);
    expect(candidateIdOf('ada@example.com', 'secret-two-xxxxxxxx')).not.toBe(a);
    expect(candidateIdOf('bob@example.com', 'secret-one-xxxxxxxx')).not.toBe(a);
    expect(a).not.toContain('@');
  });

  it('hands out a 32-byte base64url token and publishes only its SHA-256', () => {
    const { token, hash } = newReceiptToken();
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(hash).toBe(sha256Hex(token));
    expect(hash).toMatch(/^[a-f0-9]{64}$/);
    expect(newReceiptToken().token).not.toBe(token);
  });
});
