// Slow integration tests (full replays); not part of ./jobstream test. `npm run test:slow`.
const e2e = require('./jest.e2e.config');
module.exports = { ...e2e, displayName: 'slow', testRegex: '\\.slow-spec\\.ts$', testTimeout: 1800000 };
