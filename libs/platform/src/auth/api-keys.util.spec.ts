import { authenticate, mayWriteCompany, parseApiKeys, sha256 } from './api-keys.util';

const hex = (key: string) => sha256(key).toString('hex');

describe('API keys', () => {
  const entries = parseApiKeys(`ops:operator:*:${hex('op-secret')}, ats:recruiter:tiktok+lark:${hex('ats-secret')}`);

  it('parses roles and recruiter scopes', () => {
    expect(entries.map((e) => [e.id, e.role, e.companies])).toEqual([
      ['ops', 'operator', []],
      ['ats', 'recruiter', ['tiktok', 'lark']],
    ]);
  });

  it('authenticates by hash and rejects unknown or missing keys', () => {
    expect(authenticate(entries, 'ats-secret')).toEqual({ keyId: 'ats', role: 'recruiter', companies: ['tiktok', 'lark'] });
    expect(authenticate(entries, 'op-secret')?.role).toBe('operator');
    expect(authenticate(entries, 'guess')).toBeUndefined();
    expect(authenticate(entries, undefined)).toBeUndefined();
    expect(authenticate(entries, '')).toBeUndefined();
  });

  it('scopes recruiters to their companies; operators write any', () => {
    const ats = authenticate(entries, 'ats-secret')!;
    expect(mayWriteCompany(ats, 'tiktok')).toBe(true);
    expect(mayWriteCompany(ats, 'acme')).toBe(false);
    expect(mayWriteCompany(authenticate(entries, 'op-secret')!, 'acme')).toBe(true);
  });

  it.each([
    ['ops:admin:*:' + 'a'.repeat(64), 'entry 1 is not'],
    ['ops:operator:*:nothex', 'entry 1 is not'],
    [`a:recruiter:*:${'a'.repeat(64)}`, 'must name at least one company'],
    [`a:operator:*:${'a'.repeat(64)},a:operator:*:${'b'.repeat(64)}`, 'appears twice'],
  ])('refuses a malformed configuration %s', (raw, message) => {
    expect(() => parseApiKeys(raw)).toThrow(message);
  });
});
