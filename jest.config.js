// Unit tests: pure logic only, no servers. Integration tests live in jest.e2e.config.js.
const moduleNameMapper = {
  '^@jobstream/(contracts|messaging|platform)(|/.*)$': '<rootDir>/libs/$1/src$2',
};
module.exports = {
  displayName: 'unit',
  rootDir: __dirname,
  testEnvironment: 'node',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'],
  testRegex: '\\.spec\\.ts$',
  transform: { '^.+\\.ts$': 'ts-jest' },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper,
};
module.exports.moduleNameMapper = moduleNameMapper;
