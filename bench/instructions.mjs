// Instructions per request of the HTTP bench's three routes, counted by valgrind's callgrind in
// the server process: `npm run bench:instructions` (needs valgrind; Debian: apt-get install valgrind).
//
// Why: req/s and CPU time per request on a shared 2-core VM swing by up to 2x between 4-second
// runs of the same route, which hides differences of 10-20 %. Instruction counts do not depend on
// what else the machine does. They are not time (SHA-256 in AVX2 retires far more instructions
// per cycle than JavaScript does), so the ratios here explain the req/s ratios of `npm run bench`
// rather than replace them.
//
// The server (http.server.mjs: plain, no-op guard + interceptor, @JambonzWebhook()) runs under
// callgrind with instrumentation off, is warmed up at full speed, then each route gets
// REQUESTS requests with instrumentation on, in rotating order over ROUNDS rounds. The medians
// per route are printed with the share spent in OpenSSL's SHA-256 block function (the hash of
// the 4 KB body, which every verifier must pay).
//
// BENCH_INSTR_PLATFORMS=express,fastify  BENCH_INSTR_ROUNDS=3  BENCH_INSTR_REQUESTS=300
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import autocannon from 'autocannon';
import { generateSignatureHeader } from 'nestjs-jambonz-auth';
import { bodyOfSize } from './bodies.mjs';
import { FIXED_T, ROUTES, SECRET } from './constants.mjs';
import { table } from './report.mjs';

const run = promisify(execFile);
const SERVER = fileURLToPath(new URL('./http.server.mjs', import.meta.url));
const env = process.env;
const PLATFORMS = (env.BENCH_INSTR_PLATFORMS ?? 'express,fastify').split(',').filter(Boolean);
const ROUNDS = Number(env.BENCH_INSTR_ROUNDS ?? 3);
const REQUESTS = Number(env.BENCH_INSTR_REQUESTS ?? 300);
const WARMUP_REQUESTS = 5000;
const VARIANTS = ['plain', 'noop', 'guarded'];

const body = bodyOfSize(4096);
const headers = {
  'content-type': 'application/json',
  'jambonz-signature': generateSignatureHeader(body.buffer, SECRET, { timestamp: FIXED_T }),
};

function startServer(platform, dir) {
  const child = spawn(
    'valgrind',
    ['--tool=callgrind', '--instr-atstart=no', `--callgrind-out-file=${join(dir, 'cg.%p')}`, process.execPath, SERVER, platform],
    { env: { ...env, BENCH_SECRET: SECRET }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
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
    headers,
    body: body.text,
  });
  if (result['2xx'] !== amount) throw new Error(`bench/instructions: ${variant} answered ${result['2xx']} of ${amount} with 2xx`);
}

/** Total instructions and those in SHA-256's block function, from the newest dump in `dir`. */
async function readDump(dir, pid) {
  const newest = readdirSync(dir)
    .filter((name) => name.startsWith(`cg.${pid}.`))
    .map((name) => join(dir, name))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  const { stdout } = await run('callgrind_annotate', ['--inclusive=no', '--threshold=100', newest], { maxBuffer: 64 << 20 });
  const count = (line) => Number(line.trim().split(/\s+/)[0].replaceAll(',', ''));
  const lines = stdout.split('\n');
  const total = count(lines.find((line) => line.includes('PROGRAM TOTALS')));
  const sha = lines.filter((line) => line.includes('sha256_block')).reduce((sum, line) => sum + count(line), 0);
  return { total, sha };
}

async function measure(platform) {
  const dir = mkdtempSync(join(tmpdir(), 'jambonz-instr-'));
  const { child, base } = await startServer(platform, dir);
  const control = (...args) => run('callgrind_control', [...args, String(child.pid)]);
  try {
    for (const variant of VARIANTS) await load(base, variant, WARMUP_REQUESTS);
    const perRound = Object.fromEntries(VARIANTS.map((v) => [v, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const variant of VARIANTS.map((_, i) => VARIANTS[(i + round) % VARIANTS.length])) {
        await control('-z');
        await control('-i', 'on');
        await load(base, variant, REQUESTS);
        await control('-i', 'off');
        await control('-d');
        const { total, sha } = await readDump(dir, child.pid);
        perRound[variant].push({ total: total / REQUESTS, sha: sha / REQUESTS });
      }
      process.stderr.write(`[instructions] ${platform}: round ${round + 1}/${ROUNDS}\n`);
    }
    return Object.fromEntries(VARIANTS.map((v) => [v, medianBy(perRound[v], (x) => x.total)]));
  } finally {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

function medianBy(values, key) {
  return [...values].sort((a, b) => key(a) - key(b))[values.length >> 1];
}

const k = (n) => `${(n / 1000).toFixed(1)}k`;
const x = (n) => `${n.toFixed(3)}x`;
console.log(`# Instructions per request (callgrind; 4 KB genuine payload; median of ${ROUNDS} rounds of ${REQUESTS} requests)\n`);
const rows = [];
for (const platform of PLATFORMS) {
  const m = await measure(platform);
  const { plain, noop, guarded } = m;
  rows.push([
    platform,
    k(plain.total),
    k(noop.total),
    k(guarded.total),
    k(guarded.sha),
    x(plain.total / guarded.total),
    x(plain.total / noop.total),
    k(noop.total - plain.total),
    k(guarded.total - noop.total - guarded.sha),
  ]);
}
console.log(
  table(
    [
      'platform',
      'plain',
      'no-op guard+icpt',
      '@JambonzWebhook()',
      'of which SHA-256',
      'plain/guarded',
      'plain/no-op',
      "Nest's guard+icpt path",
      'ours beyond SHA-256',
    ],
    rows,
  ),
);
console.log(
  '\n(plain/x: instruction-count ratio, the req/s ratio of a server whose every instruction cost the same;\n' +
    " Nest's guard+icpt path: no-op minus plain; ours beyond SHA-256: guarded minus no-op minus the hash's block function)",
);
