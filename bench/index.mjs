// npm run bench: the whole benchmark, sized for a 2-core machine and a few minutes.
//
//   npm run bench                      (builds, then: node --expose-gc bench/index.mjs)
//   BENCH_QUICK=1 npm run bench        a smoke run (~1 min; figures too noisy to quote)
//
// Knobs (environment): BENCH_ROUNDS (verify rounds, 21), BENCH_MIN_CPU_MS (per contender and
// round, 30), BENCH_HTTP_ROUNDS (4), BENCH_HTTP_DURATION (s, 4), BENCH_HTTP_CONNECTIONS (32),
// BENCH_HTTP_PLATFORMS (express,fastify), BENCH_SKIP_HTTP=1, BENCH_JSON=<file> (raw results).
//
// Progress goes to stderr; the report goes to stdout.
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { buildBodies } from './bodies.mjs';
import { SECRET } from './constants.mjs';
import { machineInfo } from './machine.mjs';
import { judgeMemory, runMemoryBench } from './memory.mjs';
import { formatProfile, profileVerify } from './profile.mjs';
import {
  evaluateTargets,
  formatBodies,
  formatGuard,
  formatHttp,
  formatMachine,
  formatMemory,
  formatReplay,
  formatScaling,
  formatTargets,
  formatVerify,
  formatVerifyRatios,
  scaling,
} from './report.mjs';
import { loadPackage } from './package.mjs';

// The modules that import the built package statically, once dist/ holds a complete build.
await loadPackage();
const { runVerifyBench } = await import('./verify.bench.mjs');
const { runHttpBench } = await import('./http.bench.mjs');
const { runGuardBench } = await import('./guard.bench.mjs');
const { runReplayBench } = await import('./replay.bench.mjs');

const env = process.env;
const quick = env.BENCH_QUICK === '1';
const num = (name, normal, fast) => Number(env[name] ?? (quick ? fast : normal));
const config = {
  rounds: num('BENCH_ROUNDS', 21, 5),
  minCpuMs: num('BENCH_MIN_CPU_MS', 30, 20),
  httpRounds: num('BENCH_HTTP_ROUNDS', 4, 2),
  httpDuration: num('BENCH_HTTP_DURATION', 4, 2),
  connections: num('BENCH_HTTP_CONNECTIONS', 32, 32),
  platforms: (env.BENCH_HTTP_PLATFORMS ?? 'express,fastify').split(',').filter(Boolean),
  skipHttp: env.BENCH_SKIP_HTTP === '1',
};

const started = performance.now();
const log = (line) =>
  process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${line}\n`);
const section = (title) => console.log(`\n## ${title}\n`);

const machine = machineInfo();
console.log('# nestjs-jambonz-auth benchmark');
console.log(formatMachine(machine));
if (!machine.gcExposed) log('warning: global.gc is not exposed; run with node --expose-gc (npm run bench does)');

const bodies = buildBodies();
section('Bodies (compact JSON, exact sizes, from test/fixtures/jambonz-webhooks)');
console.log(formatBodies(bodies));

log(`verify: ${bodies.length} sizes x 7 contenders x ${config.rounds} rounds, >= ${config.minCpuMs} ms each`);
const verify = await runVerifyBench(bodies, { rounds: config.rounds, minCpuMs: config.minCpuMs, log });
section('1-2. Verification cost: ours vs the bare HMAC floor and vs the jambonz verifiers');
console.log(formatVerify(verify));
console.log();
console.log(formatVerifyRatios(verify));

const scalingResult = scaling(verify);
section('4a. Scaling with body size');
console.log(formatScaling(verify, scalingResult));

log('memory: 100k verifications in a fresh process');
const memoryRaw = await runMemoryBench(100_000, 4096);
const memory = { ...memoryRaw, verdict: judgeMemory(memoryRaw) };
section('4b. Memory (fresh process, --expose-gc)');
console.log(formatMemory(memoryRaw, memory.verdict));

const body4k = bodies.find((b) => b.bytes === 4096);
log('guard: canActivate in process');
const guard = await runGuardBench(body4k, { minCpuMs: config.minCpuMs, log });
section('3a. The guard in process (no HTTP): what canActivate adds to the verification');
console.log(formatGuard(guard));

log('replay protection: store cost per request');
const replay = await runReplayBench(verify.find((s) => s.bytes === 4096)?.timings.bare.ns, { minCpuMs: config.minCpuMs, log });
section('5. Replay protection: what it adds per signed request (claim before the handler, consume after)');
console.log(formatReplay(replay));

let http = [];
if (!config.skipHttp) {
  log(`http: ${config.platforms.join(', ')}; 3 variants x ${config.httpRounds} rounds x ${config.httpDuration} s`);
  http = await runHttpBench(body4k, SECRET, {
    platforms: config.platforms,
    rounds: config.httpRounds,
    duration: config.httpDuration,
    connections: config.connections,
    log,
  });
  section('3b. HTTP overhead (4 KB genuine payload, Nest app created with rawBody: true, 127.0.0.1)');
  console.log(formatHttp(http, verify.find((s) => s.bytes === 4096)?.timings.bare.ns));
}

const targets = evaluateTargets({ verify, http, memory, scalingResult });
section('Targets');
console.log(formatTargets(targets));

// Profile evidence for a missed verify target: where the time of verifySignature goes.
const missedVerify = verify.filter(
  (s) => (s.bytes === 4096 && s.ratios.oursVsBare.median > 1.2) || (s.bytes >= 65536 && s.ratios.oursVsBare.median > 1.05),
);
for (const s of missedVerify) {
  log(`profile: verifySignature at ${s.label}`);
  section(`Profile: verifySignature at ${s.label} (node --cpu-prof, 3 s loop)`);
  console.log(formatProfile(await profileVerify(s.bytes, 3, 'ours')));
  console.log(formatProfile(await profileVerify(s.bytes, 3, 'oursParsed')));
}
console.log(
  `\nload average at end: ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}; total ${((performance.now() - started) / 1000).toFixed(0)} s`,
);
if (env.BENCH_JSON) {
  writeFileSync(
    env.BENCH_JSON,
    JSON.stringify({ machine, config, verify, scalingResult, memory, guard, replay, http, targets }, null, 2),
  );
  log(`raw results written to ${env.BENCH_JSON}`);
}
