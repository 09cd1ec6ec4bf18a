import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { transpileModule, ModuleKind, ScriptTarget } from 'typescript';
import { EventSchemas, type EventType } from '@jobstream/contracts';
import { pascalName } from '../libs/contracts/src/documents';
import { exampleEvent } from '../libs/contracts/src/examples';
import { ROOT } from './support/engines';

/**
 * What an outsider does with the AsyncAPI document: validate it with the official CLI and generate
 * models from it. The models must keep the envelope (id, type, occurredAt, data), name every class,
 * and read our own examples back. Needs no engines; lives with the e2e specs for the network install.
 */
const DOC = join(ROOT, 'libs', 'contracts', 'generated', 'asyncapi.yaml');
const types = Object.keys(EventSchemas) as EventType[];

describe('the AsyncAPI document with the AsyncAPI CLI', () => {
  let cli: string;
  let env: NodeJS.ProcessEnv;
  const out = mkdtempSync(join(tmpdir(), 'asyncapi-models-'));
  const asyncapi = (...args: string[]) => execFileSync(cli, args, { cwd: out, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 });

  beforeAll(() => {
    const started = Date.now();
    cli = execFileSync('bash', [join(ROOT, 'scripts', 'tools.sh'), 'asyncapi'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 900_000 }).trim();
    process.stdout.write(`@asyncapi/cli ready in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    // The CLI reports every command to a metrics endpoint unless its config file says no.
    const metrics = join(out, 'asyncapi-analytics.json');
    writeFileSync(metrics, JSON.stringify({ analyticsEnabled: 'false', infoMessageShown: 'true', userID: 'jobstream-ci' }));
    env = { ...process.env, ASYNCAPI_METRICS_CONFIG_PATH: metrics, SUPPRESS_NO_CONFIG_WARNING: '1', CI: 'true' };
  }, 900_000);

  it('validates with no error and no warning', () => {
    const report = asyncapi('validate', DOC, '--fail-severity', 'warn', '--diagnostics-format', 'json');
    expect(report).toContain('is valid');
  }, 300_000);

  it('generates TypeScript models that keep the envelope and read every example back unchanged', () => {
    const dir = join(out, 'ts');
    asyncapi('generate', 'models', 'typescript', DOC, '-o', dir, '--tsMarshalling', '--tsModuleSystem=CJS');
    const files = readdirSync(dir);
    expect(files.filter((f) => /anonymous/i.test(f))).toEqual([]);
    const js = join(out, 'ts-js');
    mkdirSync(js);
    for (const file of files) {
      const { outputText } = transpileModule(readFileSync(join(dir, file), 'utf8'), { compilerOptions: { module: ModuleKind.CommonJS, target: ScriptTarget.ES2020 } });
      writeFileSync(join(js, file.replace(/\.ts$/, '.js')), outputText);
    }
    for (const type of types) {
      const source = readFileSync(join(dir, `${pascalName(type)}Event.ts`), 'utf8');
      for (const field of ['_id: string', '_occurredAt: string', `_data: ${pascalName(type)}`]) expect({ type, has: source.includes(field) ? field : 'missing' }).toEqual({ type, has: field });
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const Model = require(join(js, `${pascalName(type)}Event.js`)) as { unmarshal(json: unknown): { marshal(): string; id: string; occurredAt: string; reservedType: string } };
      const example = exampleEvent(type);
      const model = Model.unmarshal(JSON.parse(JSON.stringify(example)));
      expect({ id: model.id, type: model.reservedType, occurredAt: model.occurredAt }).toEqual({ id: example.id, type, occurredAt: example.occurredAt });
      expect(JSON.parse(model.marshal())).toEqual(example);
    }
  }, 300_000);

  it('generates Python models that keep the envelope and build from every example', () => {
    const dir = join(out, 'py', 'jobstream_events');
    asyncapi('generate', 'models', 'python', DOC, '-o', dir, '--packageName=jobstream_events');
    expect(readdirSync(dir).filter((f) => /anonymous/i.test(f))).toEqual([]);
    const examples = Object.fromEntries(types.map((t) => [`${pascalName(t)}Event`, exampleEvent(t)]));
    // The generated classes take snake_case keys, as Modelina's Python preset does.
    const script = `
import importlib, json, re, sys
snake = lambda k: re.sub(r'(?<!^)(?=[A-Z])', '_', k).lower()
def keys(v):
    if isinstance(v, dict): return {snake(k): keys(x) for k, x in v.items()}
    if isinstance(v, list): return [keys(x) for x in v]
    return v
out = {}
for name, example in json.load(sys.stdin).items():
    module = importlib.import_module('jobstream_events.' + snake(name))
    model = getattr(module, name)(keys(example))
    out[name] = {'id': model.id, 'type': model.type, 'occurredAt': model.occurred_at, 'dataClass': type(model.data).__name__}
print(json.dumps(out))
`;
    const result = JSON.parse(execFileSync('python3', ['-c', script], { cwd: join(out, 'py'), env: { ...process.env, PYTHONPATH: join(out, 'py') }, input: JSON.stringify(examples), encoding: 'utf8' })) as Record<string, unknown>;
    for (const type of types) {
      const example = exampleEvent(type);
      expect(result[`${pascalName(type)}Event`]).toEqual({ id: example.id, type, occurredAt: example.occurredAt, dataClass: pascalName(type) });
    }
  }, 300_000);
});
