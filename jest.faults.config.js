// Fault tests stop and restart real engines; they run alone, after the e2e suite.
const e2e = require('./jest.e2e.config');
module.exports = { ...e2e, displayName: 'faults', testRegex: '\\.fault-spec\\.ts$', testTimeout: 300000 };
