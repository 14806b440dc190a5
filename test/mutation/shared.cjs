/* eslint-disable @typescript-eslint/no-require-imports -- Jest loads these helpers with require() */
'use strict';
// State shared by the Jest environment, filter, sequencer and runner of the Stryker runs (see
// README.md). All four are loaded by Jest in the Stryker worker process itself, outside the
// test files' VM contexts, so a module-level value outlives test files and Jest runs.
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

/** Where the dry run records which test files executed which mutants (inside Stryker's sandbox). */
const MAP_FILE = join(process.cwd(), '.stryker-covering-files.json');

/** The mutant Stryker activated for this Jest run (Stryker's own environment variable), or undefined in the dry run. */
function activeMutant() {
  return process.env.__STRYKER_ACTIVE_MUTANT__ || undefined;
}

let map;
/** `{ files: { [testPath]: { mutants: string[], ms: number } } }` from the dry run, or undefined without one. */
function coveringFiles() {
  if (map === undefined) {
    try {
      map = JSON.parse(readFileSync(MAP_FILE, 'utf8'));
    } catch {
      return undefined; // no dry run recorded (yet): keep every file
    }
  }
  return map;
}

const recorded = { files: {} };
/** Records, during the dry run, what one test file executed. */
function recordFile(testPath, mutants, ms) {
  recorded.files[testPath] = { mutants, ms };
  writeFileSync(MAP_FILE, JSON.stringify(recorded));
}

let bailedMutant;
/** Marks the active mutant killed: the remaining tests and test files of this run are skipped. */
function bail() {
  bailedMutant = activeMutant();
}
function hasBailed() {
  const mutant = activeMutant();
  return mutant !== undefined && bailedMutant === mutant;
}

const killers = [];
/**
 * Remembers the test file that killed a mutant. Stryker tests a source file's mutants one after
 * the other, so the file that killed the last mutants is the likeliest to kill the next one.
 */
function noteKiller(testPath) {
  const known = killers.indexOf(testPath);
  if (known !== -1) killers.splice(known, 1);
  killers.unshift(testPath);
  killers.length = Math.min(killers.length, 3);
}
/** The test files that killed the latest mutants, most recent first. */
function recentKillers() {
  return killers;
}

module.exports = { activeMutant, coveringFiles, recordFile, bail, hasBailed, noteKiller, recentKillers };
