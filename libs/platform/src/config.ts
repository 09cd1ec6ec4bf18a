/**
 * Environment configuration, validated once at start-up. Each variable is declared once with its
 * type, default and description; the same declarations feed the README's configuration table
 * (a test checks that every variable is documented).
 */
export interface VarSpec<T> {
  readonly description: string;
  readonly default?: T;
  /** Secrets are never printed, not even in error messages. */
  readonly secret?: boolean;
  readonly parse: (raw: string) => T;
  readonly kind: string;
}

export class ConfigError extends Error {
  constructor(readonly variable: string, message: string) {
    super(`Invalid configuration: ${variable} ${message}`);
    this.name = 'ConfigError';
  }
}

type Fail = (message: string) => never;
const fail: Fail = (message) => {
  throw new Error(message);
};

export const str = (o: { description: string; default?: string; secret?: boolean; pattern?: RegExp; hint?: string }): VarSpec<string> => ({
  ...o,
  kind: 'string',
  parse: (raw) => {
    if (o.pattern && !o.pattern.test(raw)) fail(`must be ${o.hint ?? `of the form ${o.pattern.source}`}`);
    return raw;
  },
});

export const int = (o: { description: string; default?: number; min?: number; max?: number }): VarSpec<number> => ({
  ...o,
  kind: 'integer',
  parse: (raw) => {
    if (!/^-?\d+$/.test(raw.trim())) fail('must be a whole number');
    const value = Number(raw);
    if (o.min !== undefined && value < o.min) fail(`must be at least ${o.min}`);
    if (o.max !== undefined && value > o.max) fail(`must be at most ${o.max}`);
    return value;
  },
});

export const num = (o: { description: string; default?: number; min?: number; max?: number }): VarSpec<number> => ({
  ...o,
  kind: 'number',
  parse: (raw) => {
    const value = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(value)) fail('must be a number');
    if (o.min !== undefined && value < o.min) fail(`must be at least ${o.min}`);
    if (o.max !== undefined && value > o.max) fail(`must be at most ${o.max}`);
    return value;
  },
});

export const bool = (o: { description: string; default?: boolean }): VarSpec<boolean> => ({
  ...o,
  kind: 'boolean',
  parse: (raw) => {
    if (/^(1|true|yes|on)$/i.test(raw)) return true;
    if (/^(0|false|no|off)$/i.test(raw)) return false;
    return fail('must be true or false');
  },
});

export const list = (o: { description: string; default?: string[]; itemPattern?: RegExp; hint?: string }): VarSpec<string[]> => ({
  ...o,
  kind: 'comma-separated list',
  parse: (raw) => {
    const items = raw.split(',').map((s) => s.trim()).filter(Boolean);
    if (items.length === 0) fail('must list at least one value');
    for (const item of items) if (o.itemPattern && !o.itemPattern.test(item)) fail(`has "${item}", which is not ${o.hint ?? 'valid'}`);
    return items;
  },
});

export const oneOf = <T extends string>(values: readonly T[], o: { description: string; default?: T }): VarSpec<T> => ({
  ...o,
  kind: values.join(' | '),
  parse: (raw) => (values.includes(raw as T) ? (raw as T) : fail(`must be one of ${values.join(', ')}`)),
});

export type ConfigSpec = Record<string, VarSpec<unknown>>;
export type ConfigOf<S extends ConfigSpec> = { readonly [K in keyof S]: S[K] extends VarSpec<infer T> ? T : never };

/** Reads and validates every variable; throws a ConfigError naming the first bad or missing one. */
export function loadConfig<S extends ConfigSpec>(spec: S, env: NodeJS.ProcessEnv = process.env): ConfigOf<S> {
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(spec)) {
    const raw = env[name];
    if (raw === undefined || raw === '') {
      if (v.default === undefined) throw new ConfigError(name, `is required (${v.description})`);
      out[name] = v.default;
      continue;
    }
    try {
      out[name] = v.parse(raw);
    } catch (err) {
      const shown = v.secret ? '' : ` (got "${raw.length > 80 ? `${raw.slice(0, 80)}…` : raw}")`;
      throw new ConfigError(name, `${(err as Error).message}${shown}`);
    }
  }
  return out as ConfigOf<S>;
}
