// npm run bench: the whole benchmark, sized for a 2-core machine and a few minutes. It prints
// one report (progress goes to stderr) and, after a complete run, writes that report into
// BENCHMARKS.md's "npm run bench" block (benchmarks-md.mjs). A smoke run, or one that skipped a
// section, writes nothing: its figures are not the ones to keep.
//
//   npm run bench                      builds, then: node --expose-gc bench/index.mjs
//   BENCH_QUICK=1 npm run bench        a smoke run (~1.5 min; figures too noisy to quote)
//
// Settings (environment): BENCH_ROUNDS (verify rounds, 21), BENCH_MIN_CPU_MS (per contender and
// round, 30), BENCH_HTTP_ROUNDS (5), BENCH_HTTP_DURATION (s per route and round, 4),
// BENCH_HTTP_SLICES (runs per route and round, 4), BENCH_HTTP_CONNECTIONS (32),
// BENCH_HTTP_PLATFORMS (express,fastify), BENCH_SKIP_HTTP=1.
import os from 'node:os';
import { writeBlock } from './benchmarks-md.mjs';
import { buildBodies } from './bodies.mjs';
import { runHttpBench } from './http.bench.mjs';
import { machineLines } from './machine.mjs';
import { judgeMemory, runMemoryBench } from './memory.mjs';
import { runReplayBench } from './replay.bench.mjs';
import {
  evaluateTargets,
  formatBodies,
  formatHttp,
  formatMemory,
  formatReplay,
  formatScaling,
  formatTargets,
  formatVerify,
  scaling,
} from './report.mjs';
import { runVerifyBench } from './verify.bench.mjs';

const env = process.env;
const quick = env.BENCH_QUICK === '1';
const num = (name, normal, fast) => Number(env[name] ?? (quick ? fast : normal));
const config = {
  rounds: num('BENCH_ROUNDS', 21, 5),
  minCpuMs: num('BENCH_MIN_CPU_MS', 30, 20),
  http: {
    rounds: num('BENCH_HTTP_ROUNDS', 5, 1),
    duration: num('BENCH_HTTP_DURATION', 4, 2),
    slices: num('BENCH_HTTP_SLICES', 4, 1),
    connections: num('BENCH_HTTP_CONNECTIONS', 32, 32),
    platforms: (env.BENCH_HTTP_PLATFORMS ?? 'express,fastify').split(',').filter(Boolean),
  },
  skipHttp: env.BENCH_SKIP_HTTP === '1',
};

const started = performance.now();
const seconds = () => ((performance.now() - started) / 1000).toFixed(0);
const log = (line) => process.stderr.write(`[bench ${seconds().padStart(3)} s] ${line}\n`);
const report = [];
const print = (...lines) => {
  for (const line of lines) {
    console.log(line);
    report.push(line);
  }
};
const section = (title, body) => print('', `## ${title}`, '', body);

print('# Benchmark report (npm run bench)', ...machineLines());
if (typeof globalThis.gc !== 'function') log('warning: global.gc is not exposed; run with node --expose-gc (npm run bench does)');

const bodies = buildBodies();
section('Bodies (compact JSON, exact sizes, from test/fixtures/jambonz-webhooks)', formatBodies(bodies));

log(`verify: ${bodies.length} sizes x 4 contenders x ${config.rounds} rounds, >= ${config.minCpuMs} ms each`);
const verify = await runVerifyBench(bodies, { rounds: config.rounds, minCpuMs: config.minCpuMs, log });
section('1. Verification: ours vs the bare HMAC and vs the jambonz verifiers, in process', formatVerify(verify));
const sc = scaling(verify);
section('2. Scaling with body size', formatScaling(sc));

log('memory: 100k verifications in a fresh process');
const memoryRaw = await runMemoryBench(100_000, 4096);
const memory = { ...memoryRaw, verdict: judgeMemory(memoryRaw) };
section('3. Memory (fresh process, --expose-gc)', formatMemory(memoryRaw, memory.verdict));

log('replay protection: store cost per request');
const replay = await runReplayBench({ minCpuMs: config.minCpuMs, log });
section('4. Replay protection: what it adds per signed request', formatReplay(replay));

let http = [];
const body4k = bodies.find((b) => b.bytes === 4096);
if (config.skipHttp) {
  section('5. HTTP: plain, floor and @JambonzWebhook() routes', 'skipped (BENCH_SKIP_HTTP=1)');
} else {
  log(
    `http: ${config.http.platforms.join(', ')}; 3 routes x ${config.http.rounds} rounds x ${config.http.duration} s in ${config.http.slices} slices`,
  );
  http = await runHttpBench(body4k, { ...config.http, log });
  section(
    '5. HTTP: plain, floor and @JambonzWebhook() routes (4 KB genuine call hook, rawBody: true, 127.0.0.1)',
    formatHttp(http, config.http),
  );
}

section('Targets', formatTargets(evaluateTargets({ verify, sc, memory, http })));
const load = os
  .loadavg()
  .map((x) => x.toFixed(2))
  .join(' ');
print('', `load average at end: ${load}; total ${seconds()} s`);

const partial = [
  quick && 'a quick run (BENCH_QUICK=1)',
  config.skipHttp && 'the HTTP section was skipped',
  config.http.platforms.join() !== 'express,fastify' && `HTTP on ${config.http.platforms.join(', ')} only`,
  replay.redis.skipped && 'the Redis store was skipped',
].filter(Boolean);
if (partial.length > 0) {
  log(`BENCHMARKS.md left as it is: ${partial.join('; ')}`);
} else {
  writeBlock('npm run bench', report.join('\n'));
  log('BENCHMARKS.md: the "npm run bench" block rewritten');
}
