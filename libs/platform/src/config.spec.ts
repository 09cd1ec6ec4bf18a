import { ConfigError, bool, int, list, loadConfig, oneOf, str } from './config';
import { platformConfigSpec } from './platform.config';

const spec = {
  PORT: int({ description: 'HTTP port', default: 3000, min: 1, max: 65535 }),
  KAFKA_BROKERS: list({ description: 'brokers', default: ['localhost:9092'], itemPattern: /^[^:]+:\d+$/, hint: 'host:port' }),
  MONGO_URL: str({ description: 'MongoDB URL', pattern: /^mongodb(\+srv)?:\/\//, hint: 'a mongodb:// URL' }),
  DEBUG: bool({ description: 'debug', default: false }),
  LOG_LEVEL: oneOf(['info', 'debug'] as const, { description: 'level', default: 'info' }),
  API_SECRET: str({ description: 'secret', default: 'x', secret: true, pattern: /^.{8,}$/, hint: 'at least 8 characters' }),
};

describe('loadConfig', () => {
  it('applies defaults and parses values', () => {
    const config = loadConfig(spec, { MONGO_URL: 'mongodb://h/db', PORT: '8080', KAFKA_BROKERS: 'a:1, b:2', DEBUG: 'yes' });
    expect(config).toEqual({
      PORT: 8080,
      KAFKA_BROKERS: ['a:1', 'b:2'],
      MONGO_URL: 'mongodb://h/db',
      DEBUG: true,
      LOG_LEVEL: 'info',
      API_SECRET: 'x',
    });
  });

  it.each([
    [{}, 'MONGO_URL is required'],
    [{ MONGO_URL: 'mongodb://h', PORT: 'abc' }, 'PORT must be a whole number (got "abc")'],
    [{ MONGO_URL: 'mongodb://h', PORT: '70000' }, 'PORT must be at most 65535'],
    [{ MONGO_URL: 'http://h' }, 'MONGO_URL must be a mongodb:// URL'],
    [{ MONGO_URL: 'mongodb://h', KAFKA_BROKERS: 'nohost' }, 'KAFKA_BROKERS has "nohost", which is not host:port'],
    [{ MONGO_URL: 'mongodb://h', LOG_LEVEL: 'loud' }, 'LOG_LEVEL must be one of info, debug'],
  ])('fails fast naming the variable', (env, message) => {
    expect(() => loadConfig(spec, env)).toThrow(ConfigError);
    expect(() => loadConfig(spec, env)).toThrow(message);
  });

  it('never echoes a secret', () => {
    expect(() => loadConfig(spec, { MONGO_URL: 'mongodb://h', API_SECRET: 'short' })).toThrow(
      /^Invalid configuration: API_SECRET must be at least 8 characters$/,
    );
  });
});

describe('TRUST_PROXY', () => {
  const load = (value?: string) => loadConfig(platformConfigSpec(3000), value === undefined ? {} : { TRUST_PROXY: value }).TRUST_PROXY;

  it('takes nobody by default, and lists of names, addresses and CIDRs', () => {
    expect(load()).toBe('');
    expect(load('loopback')).toBe('loopback');
    expect(load('loopback, uniquelocal,10.0.0.0/8, 172.28.0.10 ,fd00::/8')).toBe('loopback, uniquelocal,10.0.0.0/8, 172.28.0.10 ,fd00::/8');
  });

  it("refuses at start-up what Express would read as 'trust everyone' or can't read, naming the variable", () => {
    for (const bad of ['true', '1', 'everyone', 'loopback,', '10.0.0.0/8; x']) {
      expect(() => load(bad)).toThrow(/TRUST_PROXY must be a comma-separated list/);
    }
  });
});
