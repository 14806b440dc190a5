// Counting instructions with valgrind's callgrind, for the benchmarks that need counts rather
// than time (instructions.mjs, ws-upgrade.mjs, observability.mjs): one way to start a Node
// process under callgrind and one way to count what a window of work executed.
import { execFile, spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Ends the process with one line saying what to install when valgrind is not on the PATH, rather
 * than the stack of a spawn ENOENT halfway through.
 */
export async function requireValgrind(command) {
  try {
    await run('valgrind', ['--version']);
  } catch {
    console.error(`${command} counts instructions with valgrind, which is not on the PATH (Debian: apt-get install valgrind).`);
    process.exit(1);
  }
}

/**
 * Starts `node <args>` under callgrind with instrumentation off, its dumps in `dir`. V8 runs its
 * background work (concurrent compilation, marking, sweeping) on the main thread
 * (`--single-threaded`): on other threads it would add its instructions to whichever window it
 * lands in, which made medians of the same route swing by a third.
 */
export function spawnUnderCallgrind(dir, args, options) {
  return spawn(
    'valgrind',
    [
      '--tool=callgrind',
      '--instr-atstart=no',
      `--callgrind-out-file=${join(dir, 'cg.%p')}`,
      process.execPath,
      '--single-threaded',
      ...args,
    ],
    options,
  );
}

/** The instructions the process `pid` executes while `work` runs (instrumentation on only then). */
export async function countInstructions(pid, dir, work) {
  const control = (...args) => run('callgrind_control', [...args, String(pid)]);
  await control('-z');
  await control('-i', 'on');
  await work();
  await control('-i', 'off');
  await control('-d');
  const newest = readdirSync(dir)
    .filter((name) => name.startsWith(`cg.${pid}.`))
    .map((name) => join(dir, name))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  const { stdout } = await run('callgrind_annotate', ['--inclusive=no', '--threshold=100', newest], { maxBuffer: 64 << 20 });
  const totals = stdout.split('\n').find((line) => line.includes('PROGRAM TOTALS'));
  return Number(totals.trim().split(/\s+/)[0].replaceAll(',', ''));
}
