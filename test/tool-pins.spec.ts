import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The engines and contract tools the scripts install from npm and PyPI come with their whole
 * dependency tree pinned. A default version that drifted from its pin would still install, but
 * resolved afresh, and a registry serving half of a new release breaks that (it failed CI once).
 */
describe('installed tools are pinned down to their dependencies', () => {
  const read = (file: string) => readFileSync(join(__dirname, '..', file), 'utf8');
  const defaultOf = (script: string, name: string) => read(script).match(new RegExp(`^${name}="?\\$\\{${name}:-([^}]+)\\}"?$`, 'm'))?.[1];
  type Lock = { packages: Record<string, { version?: string; dependencies?: Record<string, string> }> };

  it.each([
    ['scripts/tools.sh', 'ASYNCAPI_CLI_VERSION', 'scripts/asyncapi-cli', '@asyncapi/cli'],
    ['scripts/engines.sh', 'MAILDEV_VERSION', 'scripts/maildev', 'maildev'],
  ])('%s %s is the version its lockfile pins', (script, variable, dir, name) => {
    const version = defaultOf(script, variable);
    expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    const pkg = JSON.parse(read(`${dir}/package.json`)) as { dependencies: Record<string, string> };
    expect(pkg.dependencies).toEqual({ [name]: version });
    const lock = JSON.parse(read(`${dir}/package-lock.json`)) as Lock;
    expect(lock.packages['']?.dependencies).toEqual({ [name]: version });
    expect(lock.packages[`node_modules/${name}`]?.version).toBe(version);
    // Every package is an exact version, or npm ci would have nothing to check against.
    const unpinned = Object.entries(lock.packages).filter(([path, entry]) => path !== '' && !/^\d+\.\d+\.\d+/.test(entry.version ?? ''));
    expect(unpinned).toEqual([]);
  });

  it('scripts/tools.sh SCHEMATHESIS_VERSION is the version its constraints pin, with every dependency exact', () => {
    const version = defaultOf('scripts/tools.sh', 'SCHEMATHESIS_VERSION');
    const pins = read('scripts/schemathesis/constraints.txt').split('\n').filter((line) => line.trim() && !line.startsWith('#'));
    expect(pins).toContain(`schemathesis==${version}`);
    expect(pins.filter((line) => !/^[A-Za-z0-9_.-]+==[\w.]+$/.test(line))).toEqual([]);
    expect(pins.length).toBeGreaterThan(10);
  });
});
