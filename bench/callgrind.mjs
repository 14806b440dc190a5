// Counting instructions with valgrind's callgrind, for the benchmarks that need counts rather
// than time (instructions.mjs, ws-upgrade.mjs, observability.mjs): one way to start a Node
// process under callgrind and one way to count what a window of work executed.
import { execFile, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, statSync } from 'node:fs';
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

/**
 * Inclusive entry points of V8's garbage collector and of its JIT (compilation, deoptimisation):
 * work that lands in whichever window happens to trigger it, a mark-compact or a TurboFan job
 * being worth 10 to 400k instructions per request over a window of 300 requests. Matched on the
 * names callgrind_annotate prints (node's symbols).
 */
const GC_ENTRIES = [
  /v8::internal::Heap::CollectGarbage\(/,
  /IncrementalMarkingJob::Task::RunInternal/,
  /v8::internal::IncrementalMarking::(Step|AdvanceAndFinalizeIfComplete|AdvanceOnAllocation)\(/,
  /MemoryReducer::TimerTask::RunInternal/,
  /ScavengeJob::Task::RunInternal/,
  /Heap::FinalizeIncrementalMarkingAtomically/,
];
const JIT_ENTRIES = [
  /Runtime_CompileOptimized/,
  /Runtime_CompileLazy\(/,
  /Runtime_CompileBaseline\(/,
  /BaselineBatchCompiler::CompileBatch\(/,
  /Runtime_InstallBaselineCode\(/,
  /Runtime_NotifyDeoptimized\(/,
  /DependentCode::DeoptimizeDependencyGroups\(/,
  /Runtime_HealOptimizedCodeSlot\(/,
];

/**
 * The instructions the process `pid` executes while `work` runs (instrumentation on only then):
 * `total`, and of it `gc` and `jit` (inclusive, see GC_ENTRIES and JIT_ENTRIES); `steady` is
 * `total - gc - jit`, what the requests themselves executed. With BENCH_INSTR_KEEP=<dir> the dump
 * is kept there as `label`.
 */
export async function countInstructionsSplit(pid, dir, work, label) {
  return splitDump(await dumpWindow(pid, dir, work, label));
}

/** {@link countInstructionsSplit} of a callgrind dump `file`. */
async function splitDump(file) {
  const { stdout } = await run('callgrind_annotate', ['--inclusive=yes', '--threshold=100', file], { maxBuffer: 64 << 20 });
  let total = 0;
  let gc = 0;
  let jit = 0;
  const seen = new Set();
  for (const line of stdout.split('\n')) {
    const match = /^\s*([\d,]+)\s+(?:\([^)]*\)\s+)?(.*)$/.exec(line);
    if (!match) continue;
    const [, count, name] = match;
    const n = Number(count.replaceAll(',', ''));
    if (name.includes('PROGRAM TOTALS')) total = n;
    // callgrind's copies of a recursive function (name'2) repeat their caller's cost.
    if (/'\d/.test(name.split('(')[0])) continue;
    const entry = [...GC_ENTRIES, ...JIT_ENTRIES].find((re) => !seen.has(re) && re.test(name));
    if (!entry) continue;
    seen.add(entry);
    if (GC_ENTRIES.includes(entry)) gc += n;
    else jit += n;
  }
  return { total, gc, jit, steady: total - gc - jit };
}

/** The instructions the process `pid` executes while `work` runs (instrumentation on only then). */
export async function countInstructions(pid, dir, work) {
  return (await countInstructionsSplit(pid, dir, work)).total;
}

/** Counts `work` in a zeroed window and dumps it; @returns the dump's path. */
async function dumpWindow(pid, dir, work, label) {
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
  if (label && process.env.BENCH_INSTR_KEEP) {
    mkdirSync(process.env.BENCH_INSTR_KEEP, { recursive: true });
    copyFileSync(newest, join(process.env.BENCH_INSTR_KEEP, label));
  }
  return newest;
}
