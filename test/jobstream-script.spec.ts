import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Principals } from '@jobstream/contracts';

/**
 * `./jobstream up` runs each service as its own Kafka principal, like Compose: the script's list of
 * principals is the contract's, and its login of each service is that service's (run through bash,
 * the function the script itself calls).
 */
describe('./jobstream Kafka logins', () => {
  const script = readFileSync(join(__dirname, '..', 'jobstream'), 'utf8');

  it('generates a password for every principal ops provision knows', () => {
    const list = /^KAFKA_PRINCIPALS=\(([^)]*)\)$/m.exec(script)?.[1].trim().split(/\s+/);
    expect(list).toEqual([...Principals]);
  });

  const loginOf = (service: string): Record<string, string> => {
    const fn = /^service_kafka_env\(\) \{[\s\S]*?^\}$/m.exec(script)?.[0];
    expect(fn).toContain('KAFKA_SASL_PASSWORD_FILE');
    const out = execFileSync('bash', ['-c', `set -euo pipefail; KAFKA_USERS_DIR=/users; ${fn!}\nservice_kafka_env "$1"`, 'bash', service], { encoding: 'utf8' });
    return Object.fromEntries(out.split('\n').filter(Boolean).map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
  };

  it.each(['ingest', 'analytics', 'notifier'])('logs %s in as itself, its password from its file', (service) => {
    expect(loginOf(service)).toEqual({ KAFKA_SASL_USERNAME: service, KAFKA_SASL_PASSWORD: '', KAFKA_SASL_PASSWORD_FILE: `/users/${service}` });
  });

  it('logs listings in as itself and its search projection as search', () => {
    expect(loginOf('listings')).toEqual({
      KAFKA_SASL_USERNAME: 'listings',
      KAFKA_SASL_PASSWORD: '',
      KAFKA_SASL_PASSWORD_FILE: '/users/listings',
      KAFKA_SEARCH_SASL_USERNAME: 'search',
      KAFKA_SEARCH_SASL_PASSWORD_FILE: '/users/search',
    });
  });

  it('gives the web front end no Kafka login (it has no Kafka client)', () => {
    expect(loginOf('web')).toEqual({});
  });
});
