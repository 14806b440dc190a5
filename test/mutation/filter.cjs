/* eslint-disable @typescript-eslint/no-require-imports -- Jest loads filters with require() */
'use strict';
// Jest filter of the Stryker runs: in a mutant's run, only the test files that executed the
// mutant in the dry run (as environment.cjs recorded). A file that never reached the mutated
// code runs exactly as without the mutant, so leaving it out changes no result; it only saves
// loading Nest, Express and Fastify into it again. Without a record, every file runs.
const { activeMutant, coveringFiles } = require('./shared.cjs');

module.exports = async function coveringTestFiles(testPaths) {
  const mutant = activeMutant();
  const map = mutant === undefined ? undefined : coveringFiles();
  if (!map) return { filtered: testPaths };
  return { filtered: testPaths.filter((path) => map.files[path]?.mutants.includes(mutant) ?? true) };
};
