import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PartitionVariables, ServiceConfigSpecs } from '../apps/ops/src/config-catalog';
import { topicAccessTable } from '../libs/contracts/src/acls';

describe('README', () => {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');

  it('documents every environment variable the services read', () => {
    const names = new Set([...Object.values(ServiceConfigSpecs).flatMap((spec) => Object.keys(spec)), ...PartitionVariables.map((p) => p.name)]);
    const missing = [...names].filter((name) => !readme.includes(`\`${name}\``));
    expect(missing).toEqual([]);
  });

  it('has the who-may-read-and-write table the broker ACLs are made of', () => {
    expect(readme).toContain(topicAccessTable());
  });

  it('gives the two quick-start commands that CI runs', () => {
    expect(readme).toContain('./jobstream up');
    expect(readme).toContain('./jobstream test');
    expect(readFileSync(join(__dirname, '..', '.ci', 'run'), 'utf8')).toContain('./jobstream test');
  });
});
