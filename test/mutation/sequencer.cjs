/* eslint-disable @typescript-eslint/no-require-imports -- Jest loads sequencers with require() */
'use strict';
// Jest test sequencer of the Stryker runs: in a mutant's run, the files that killed the latest
// mutants go first (Stryker tests a source file's mutants one after the other), then the unit
// specs beside the code, then the e2e suites, each group quickest first (by the dry run's
// durations). runner.cjs stops at the first failure, so a killed mutant costs little.
const Sequencer = require('@jest/test-sequencer').default;
const { activeMutant, coveringFiles, recentKillers } = require('./shared.cjs');

const isE2e = (path) => /\.e2e-spec\.[cm]?[jt]s$/.test(path);

class UnitFirstSequencer extends Sequencer {
  sort(tests) {
    const map = activeMutant() === undefined ? undefined : coveringFiles();
    if (!map) return super.sort(tests);
    const ms = (test) => map.files[test.path]?.ms ?? Number.MAX_SAFE_INTEGER;
    const killers = recentKillers();
    const recency = (test) => {
      const index = killers.indexOf(test.path);
      return index === -1 ? killers.length : index;
    };
    return [...tests].sort(
      (a, b) =>
        recency(a) - recency(b) || Number(isE2e(a.path)) - Number(isE2e(b.path)) || ms(a) - ms(b) || a.path.localeCompare(b.path),
    );
  }
}

module.exports = UnitFirstSequencer;
