import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const compilerOptions = (JSON.parse(readFileSync(join(__dirname, '..', '..', 'tsconfig.json'), 'utf8')) as {
  compilerOptions: { paths: Record<string, string[]> };
}).compilerOptions;
