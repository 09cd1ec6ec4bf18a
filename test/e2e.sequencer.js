// Runs test/replay.e2e-spec.ts first, then the rest by path (a stable order).
// Why first: a replay reads every topic from the beginning, and the topics are shared by all e2e
// files. Run first in CI's fresh clone, it replays little besides its own history; run last, it
// would replay everything the suite wrote into FerretDB, whose scans make that take many minutes.
const Sequencer = require('@jest/test-sequencer').default;

class E2eSequencer extends Sequencer {
  sort(tests) {
    const rank = (t) => (t.path.endsWith('replay.e2e-spec.ts') ? 0 : 1);
    return [...tests].sort((a, b) => rank(a) - rank(b) || a.path.localeCompare(b.path));
  }
}

module.exports = E2eSequencer;
