// Integration tests against real Kafka, FerretDB, Redis and the SMTP sink (started by scripts/engines.sh).
const { moduleNameMapper } = require('./jest.config');
module.exports = {
  displayName: 'e2e',
  rootDir: __dirname,
  testEnvironment: 'node',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'],
  testRegex: '\\.e2e-spec\\.ts$',
  transform: { '^.+\\.ts$': 'ts-jest' },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper,
  globalSetup: '<rootDir>/test/e2e.global-setup.ts',
  testSequencer: '<rootDir>/test/e2e.sequencer.js',
  testTimeout: 120000,
  // The engines are shared; files run one after another so they don't starve a 2-core machine.
  maxWorkers: 1,
  // A handle left open by a failed spec (a consumer mid-retry, a socket) must not keep CI waiting
  // after the results are in: the run ends with its verdict either way.
  forceExit: true,
};
