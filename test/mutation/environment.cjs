/* eslint-disable @typescript-eslint/no-require-imports -- Jest loads test environments with require() */
'use strict';
// Jest test environment of the Stryker runs: the project's `node` environment, plus
// - in the dry run, a record of the mutants each test file executes (its tests, its hooks and
//   the loading of its modules), for filter.cjs;
// - in a mutant's run, a bail on the first failing test: the mutant is killed, the remaining
//   tests (and the hooks of blocks left with none) are skipped.
// Stryker's jest-runner wraps this class with its own coverage mixin.
const { TestEnvironment } = require('jest-environment-node');
const { activeMutant, bail, hasBailed, recordFile } = require('./shared.cjs');

const NEVER = /(?!)/;

class MutationTestEnvironment extends TestEnvironment {
  #testPath;
  #before;
  #start = 0;
  /** Stryker's own test name pattern, kept when the first bail replaced it. */
  #pattern;

  constructor(config, context) {
    super(config, context);
    this.#testPath = context.testPath;
  }

  async setup() {
    await super.setup();
    this.#start = Date.now();
    this.#before = this.#coverageTotals();
  }

  async teardown() {
    const after = this.#coverageTotals();
    if (after && activeMutant() === undefined) {
      const executed = [...after].filter(([id, hits]) => hits > (this.#before?.get(id) ?? 0)).map(([id]) => id);
      recordFile(this.#testPath, executed, Date.now() - this.#start);
    }
    await super.teardown();
  }

  async handleTestEvent(event, state) {
    if (activeMutant() === undefined) return;
    if ((event.name === 'test_done' && event.test.errors.length > 0) || event.name === 'hook_failure') {
      bail();
    }
    if (hasBailed() && (event.name === 'run_describe_start' || event.name === 'test_start')) {
      this.#pattern ??= { saved: state.testNamePattern };
      // A test that a failed beforeAll already marked as failed must still be reported as such:
      // skipped (by the pattern or its mode), Jest would report it skipped, and a mutant that
      // only breaks a beforeAll would survive with no test run. Jest runs neither its beforeEach
      // hooks nor its test function, since it has errors already (only its afterEach hooks).
      const failedByHook = event.name === 'test_start' && event.test.errors.length > 0;
      state.testNamePattern = failedByHook ? this.#pattern.saved : NEVER;
      if (event.name === 'test_start' && !failedByHook) event.test.mode = 'skip';
    }
  }

  /** Hits per mutant id so far (static and per test), or undefined outside a Stryker coverage run. */
  #coverageTotals() {
    const namespace = this.global.__strykerGlobalNamespace__ ?? '__stryker__';
    const coverage = this.global[namespace]?.mutantCoverage;
    if (!coverage) return this.global[namespace] ? new Map() : undefined;
    const totals = new Map();
    const add = (hits) => {
      for (const [id, count] of Object.entries(hits)) totals.set(id, (totals.get(id) ?? 0) + count);
    };
    add(coverage.static ?? {});
    for (const hits of Object.values(coverage.perTest ?? {})) add(hits);
    return totals;
  }
}

module.exports = MutationTestEnvironment;
