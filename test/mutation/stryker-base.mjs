// What both Stryker configurations share (stryker.core.config.mjs, stryker.nest.config.mjs).
// README.md beside this file explains the Jest environment, filter, sequencer and runner.

/**
 * @param {object} scope
 * @param {string} scope.name the report folder: reports/mutation/<name>/
 * @param {string[]} scope.mutate the files whose mutants are tested
 * @param {number} scope.breakAt the lowest mutation score (%) that passes
 * @param {Record<string, unknown>} scope.jest Jest options narrowing jest.config.js (testMatch...)
 * @param {Record<string, unknown>} [scope.extra] further Stryker options
 * @returns {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export function mutationConfig({ name, mutate, breakAt, jest, extra = {} }) {
  return {
    testRunner: 'jest',
    // Jest runs in native ESM mode, as in `npm test`.
    testRunnerNodeArgs: ['--experimental-vm-modules'],
    plugins: ['@stryker-mutator/jest-runner'],
    jest: {
      projectType: 'custom',
      configFile: 'jest.config.js',
      config: {
        ...jest,
        testEnvironment: './test/mutation/environment.cjs',
        filter: '<rootDir>/test/mutation/filter.cjs',
        testSequencer: '<rootDir>/test/mutation/sequencer.cjs',
        runner: '<rootDir>/test/mutation/runner.cjs',
      },
      // filter.cjs picks the test files per mutant from what they executed, more precisely than imports do.
      enableFindRelatedTests: false,
    },
    mutate,
    // Each mutant runs only the tests that reached it (static mutants: every test of the files that reached it).
    coverageAnalysis: 'perTest',
    concurrency: 2,
    timeoutMS: 10_000,
    ignorePatterns: ['dist', 'dist-sample', 'docs', 'bench', 'coverage', 'reports', 'test/consumers', 'test/load', '*.tgz'],
    tempDirName: '.stryker-tmp',
    cleanTempDir: 'always',
    thresholds: { high: 90, low: 80, break: breakAt },
    reporters: ['clear-text', 'progress', 'html', 'json'],
    htmlReporter: { fileName: `reports/mutation/${name}/index.html` },
    jsonReporter: { fileName: `reports/mutation/${name}/mutation.json` },
    ...extra,
  };
}
