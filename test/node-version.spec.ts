import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The Node release the project brings (.nvmrc) is the one the image ships and package.json asks for. */
describe('Node version', () => {
  const read = (file: string) => readFileSync(join(__dirname, '..', file), 'utf8');
  const pinned = read('.nvmrc').trim().replace(/^v/, '');
  const major = pinned.split('.')[0];

  it('is pinned to an exact LTS release (even major)', () => {
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    expect(Number(major) % 2).toBe(0);
  });

  it('is the major of every Dockerfile stage', () => {
    const images = [...read('Dockerfile').matchAll(/^FROM node:(\d+)[^\s]*/gm)].map((m) => m[1]);
    expect(images.length).toBeGreaterThan(0);
    expect(new Set(images)).toEqual(new Set([major]));
  });

  it("runs analytics with the same heap cap wherever it starts: Compose, ./jobstream and the bench", () => {
    const cap = (text: string) => [...text.matchAll(/--max-old-space-size=(\d+)/g)].map((m) => m[1]);
    const compose = cap(read('docker-compose.yml'));
    expect(compose).toHaveLength(1);
    expect(read('docker-compose.yml')).toMatch(/SERVICE: analytics\n(?:\s*#.*\n)*\s*NODE_OPTIONS: --max-old-space-size=\d+/);
    expect(cap(read('jobstream'))).toEqual(compose);
    expect(cap(read('bench/support/services.ts'))).toEqual(compose);
  });

  it('is what package.json engines and @types/node ask for', () => {
    const pkg = JSON.parse(read('package.json')) as { engines: { node: string }; devDependencies: Record<string, string> };
    expect(pkg.engines.node).toBe(`>=${major} <${Number(major) + 1}`);
    expect(pkg.devDependencies['@types/node']).toMatch(new RegExp(`^\\^${major}\\.`));
  });
});
