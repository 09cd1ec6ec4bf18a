import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kafkaSasl, type SaslSettings } from './kafka.client';

const base: SaslSettings = { mechanism: 'scram-sha-512', username: 'listings', password: '', passwordFile: '', prefix: 'KAFKA_SASL' };

describe('kafkaSasl', () => {
  it('builds SCRAM-SHA-512 options from a password or a password file (its trailing newline dropped)', () => {
    expect(kafkaSasl({ ...base, password: 's3cret-pw' })).toEqual({ mechanism: 'scram-sha-512', username: 'listings', password: 's3cret-pw' });
    const file = join(mkdtempSync(join(tmpdir(), 'sasl-')), 'pw');
    writeFileSync(file, 'from-file-pw\n');
    expect(kafkaSasl({ ...base, passwordFile: file })).toEqual({ mechanism: 'scram-sha-512', username: 'listings', password: 'from-file-pw' });
  });

  it('is undefined only when authentication is off on purpose', () => {
    expect(kafkaSasl({ ...base, mechanism: 'none' })).toBeUndefined();
  });

  it('names the missing or bad variable, never the password', () => {
    expect(() => kafkaSasl({ ...base, username: '', password: 'x-secret' })).toThrow(/KAFKA_SASL_USERNAME is required/);
    expect(() => kafkaSasl(base)).toThrow(/KAFKA_SASL_PASSWORD or KAFKA_SASL_PASSWORD_FILE is required/);
    expect(() => kafkaSasl({ ...base, password: 'x-secret', passwordFile: '/nope' })).toThrow(/both set/);
    expect(() => kafkaSasl({ ...base, passwordFile: '/does/not/exist' })).toThrow(/KAFKA_SASL_PASSWORD_FILE can't be read \(ENOENT\)/);
    expect(() => kafkaSasl({ ...base, prefix: 'KAFKA_SEARCH_SASL', username: 'search' })).toThrow(/KAFKA_SEARCH_SASL_PASSWORD/);
    try {
      kafkaSasl({ ...base, username: '', password: 'x-secret' });
    } catch (err) {
      expect((err as Error).message).not.toContain('x-secret');
    }
  });
});
