/* eslint-disable @typescript-eslint/no-require-imports -- Jest loads runners with require() */
'use strict';
// Jest runner of the Stryker runs: Jest's own, except that in a mutant's run it starts no
// further test file once a test has failed (the mutant is killed; Jest's `bail` option would
// exit the Stryker worker process instead).
const TestRunner = require('jest-runner').default;
const { activeMutant, bail, hasBailed, noteKiller } = require('./shared.cjs');

class BailingTestRunner extends TestRunner {
  async runTests(tests, watcher, options) {
    if (activeMutant() === undefined || !options.serial) return super.runTests(tests, watcher, options);
    const unsubscribe = this.on('test-file-success', ([test, result]) => {
      if (result.numFailingTests > 0 || result.testExecError) {
        bail();
        noteKiller(test.path);
      }
    });
    const unsubscribeFailure = this.on('test-file-failure', () => bail());
    try {
      for (const test of tests) {
        if (hasBailed()) break;
        await super.runTests([test], watcher, options);
      }
    } finally {
      unsubscribe();
      unsubscribeFailure();
    }
  }
}

module.exports = BailingTestRunner;
