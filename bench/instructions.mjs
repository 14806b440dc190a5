// Instructions per request of the HTTP bench's three routes (plain, floor, @JambonzWebhook()),
// counted by valgrind's callgrind in the server process: `npm run bench:instructions` (needs
// valgrind; Debian: apt-get install valgrind). After a complete run it writes its report into
// BENCHMARKS.md's "npm run bench:instructions" block (benchmarks-md.mjs).
//
// Why: req/s and CPU time per request on a shared 2-core VM swing by up to 2x between runs of
// the same route, which hides differences of 10-20 %. Instruction counts do not depend on what
// else the machine does. They are not time (SHA-256 retires far more instructions per cycle than
// JavaScript does), but the target, @JambonzWebhook() within 1.05x of the floor route, compares
// two routes that do the same hashing, so the count settles it.
//
// The server (http.server.mjs) runs under callgrind with instrumentation off and is warmed up at
// full speed; its routes are checked (genuine 200, forged and stale 401 on the floor and the
// guarded route); then each route gets REQUESTS requests over keep-alive connections with
// instrumentation on, in rotating order over ROUNDS rounds, and the median round counts.
// A window holds whole garbage collections and JIT compilations: a mark-compact or a TurboFan job
// lands in one window and not the next, by chance of phase, and on Express one mark-compact is
// worth some 200k instructions per request of a 600-request window. So the target is judged on
// the steady count (each window without V8's GC and compiler entry points, inclusive: the code
// the route runs); the totals as they landed and the mean GC per request of each route are
// printed beside it. A forced collection before each window is no cure: V8 then drops compiled
// code and feedback, and every window recompiles.
//
// BENCH_INSTR_PLATFORMS=express,fastify  BENCH_INSTR_ROUNDS=5  BENCH_INSTR_REQUESTS=600
// Profiling: BENCH_INSTR_KEEP=<dir> keeps each window's callgrind dump (<platform>.r<round>.<route>);
// BENCH_INSTR_NODE_FLAGS='--perf-basic-prof' names the JIT code (/tmp/perf-<pid>.map);
// BENCH_GUARDED=noop puts a guard that returns true on the guarded route (Nest's guard machinery alone).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { generateSignatureHeader } from 'nestjs-jambonz-auth';
import { writeBlock } from './benchmarks-md.mjs';
import { countInstructionsSplit, requireValgrind, spawnUnderCallgrind } from './callgrind.mjs';
import { bodyOfSize } from './bodies.mjs';
import { FIXED_T, ROUTES, SECRET } from './constants.mjs';
import { checkRoutes } from './http.server.mjs';
import { machineLines } from './machine.mjs';
import { median, roundRatio } from './measure.mjs';
import { fmtRatio, table, TARGETS } from './report.mjs';

const SERVER = fileURLToPath(new URL('./http.server.mjs', import.meta.url));
const env = process.env;
const PLATFORMS = (env.BENCH_INSTR_PLATFORMS ?? 'express,fastify').split(',').filter(Boolean);
const ROUNDS = Number(env.BENCH_INSTR_ROUNDS ?? 5);
const REQUESTS = Number(env.BENCH_INSTR_REQUESTS ?? 600);
const WARMUP_REQUESTS = 5000;
const VARIANTS = Object.keys(ROUTES);

const body = bodyOfSize(4096);
const header = generateSignatureHeader(body.buffer, SECRET, { timestamp: FIXED_T });

function startServer(platform, dir) {
  const flags = (env.BENCH_INSTR_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  const child = spawnUnderCallgrind(dir, [...flags, SERVER, platform], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bench/instructions: ${platform} did not start in 120 s`)), 120_000);
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const port = /127\.0\.0\.1:(\d+)/.exec(out)?.[1];
      if (port) {
        clearTimeout(timer);
        resolve({ child, base: `http://127.0.0.1:${port}` });
      }
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`bench/instructions: valgrind exited with ${code}`)));
  });
}

async function load(base, variant, amount) {
  const result = await autocannon({
    url: base + ROUTES[variant],
    method: 'POST',
    connections: 4,
    amount,
    timeout: 60,
    headers: { 'content-type': 'application/json', 'jambonz-signature': header },
    body: body.text,
  });
  if (result['2xx'] !== amount) throw new Error(`bench/instructions: ${variant} answered ${result['2xx']} of ${amount} with 2xx`);
}

/** @returns per route, the instructions of each round divided by REQUESTS. */
async function measure(platform) {
  const dir = mkdtempSync(join(tmpdir(), 'jambonz-instr-'));
  const { child, base } = await startServer(platform, dir);
  try {
    await checkRoutes(base, body, header);
    for (const variant of VARIANTS) await load(base, variant, WARMUP_REQUESTS);
    const perRound = Object.fromEntries(VARIANTS.map((v) => [v, []]));
    const steadyPerRound = Object.fromEntries(VARIANTS.map((v) => [v, []]));
    const gcPerRound = Object.fromEntries(VARIANTS.map((v) => [v, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const variant of VARIANTS.map((_, i) => VARIANTS[(i + round) % VARIANTS.length])) {
        const split = await countInstructionsSplit(
          child.pid,
          dir,
          () => load(base, variant, REQUESTS),
          `${platform}.r${round}.${variant}`,
        );
        perRound[variant].push(split.total / REQUESTS);
        steadyPerRound[variant].push(split.steady / REQUESTS);
        gcPerRound[variant].push(split.gc / REQUESTS);
        const each = Object.entries(split).map(([key, n]) => `${key} ${k(n / REQUESTS)}`);
        process.stderr.write(`[instructions] ${platform} round ${round + 1} ${variant}: ${each.join(', ')}\n`);
      }
      process.stderr.write(`[instructions] ${platform}: round ${round + 1}/${ROUNDS}\n`);
    }
    return { perRound, steadyPerRound, gcPerRound };
  } finally {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

const k = (n) => `${(n / 1000).toFixed(1)}k`;
const HEADINGS = [
  'platform',
  'plain',
  'floor',
  '@JambonzWebhook()',
  'guarded - floor',
  'guarded/floor',
  `≤ ${fmtRatio(TARGETS.guardedVsFloor)}`,
];

/** One platform's row from its per-round counts, and whether guarded/floor meets the target. */
function rowOf(platform, perRound) {
  const [plain, floor, guarded] = VARIANTS.map((v) => median(perRound[v]));
  const ratio = roundRatio(perRound.guarded, perRound.floor).median;
  const pass = ratio <= TARGETS.guardedVsFloor;
  return { pass, row: [platform, k(plain), k(floor), k(guarded), k(guarded - floor), fmtRatio(ratio), pass ? 'PASS' : 'MISS'] };
}

await requireValgrind('npm run bench:instructions');
// Taken before the measurement: the source (and the load) the run started from, not what they
// became while callgrind ran for minutes.
const reportHeader = machineLines();
const rows = [];
const steadyRows = [];
const gcLines = [];
const verdicts = [];
const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;
for (const platform of PLATFORMS) {
  const { perRound, steadyPerRound, gcPerRound } = await measure(platform);
  const { pass, row } = rowOf(platform, steadyPerRound);
  steadyRows.push(row);
  verdicts.push(pass);
  rows.push(rowOf(platform, perRound).row);
  gcLines.push(`${platform}: ${VARIANTS.map((v) => `${v} ${k(mean(gcPerRound[v]))}`).join(', ')}`);
}
const report = [
  '# Instructions per request (npm run bench:instructions)',
  ...reportHeader,
  '',
  `Instructions per request (callgrind; 4 KB genuine call hook; keep-alive; median of ${ROUNDS} rounds of ${REQUESTS} requests),`,
  "without V8's garbage collection and JIT compilation or deoptimisation (inclusive), which land in one window",
  'and not the next by chance of phase',
  '',
  table(HEADINGS, steadyRows),
  '',
  '(plain: no check; floor: the handler verifies the signature by itself and nothing more; guarded/floor: median',
  ' of the within-round ratios)',
  `${verdicts.filter(Boolean).length} passed, ${verdicts.filter((v) => !v).length} missed`,
  '',
  'The same windows with everything, as it landed (a mark-compact outweighs the whole guard in the window it',
  'lands in)',
  '',
  table(HEADINGS, rows),
  '',
  `GC per request, mean over the ${ROUNDS} windows of each route:`,
  ...gcLines,
].join('\n');
console.log(report);
if (PLATFORMS.join() === 'express,fastify') {
  writeBlock('npm run bench:instructions', report);
  process.stderr.write('BENCHMARKS.md: the "npm run bench:instructions" block rewritten\n');
} else {
  process.stderr.write(`BENCHMARKS.md left as it is: ${PLATFORMS.join(', ')} only\n`);
}
