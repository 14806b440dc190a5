// Load test of the sample app over loopback: `npm run test:load`.
//
// Starts the built sample (dist-sample/main.js) as a child process with a webhook secret and
// Basic credentials, then fires batches of mixed requests at it with autocannon (64 connections):
// genuine jambonz webhooks, forged, altered, stale, future and malformed signatures, wrong or
// missing credentials, oversized bodies, GET and OPTIONS. Every response is attributed to the
// kind of request that got it (autocannon's per-request onResponse) and compared with the one
// status that kind must get. The sample's memory (RSS from /proc, before and after a full GC, and
// what it holds after that GC) is read after a warm-up, after each batch and after the load, and
// judged by the rules in memory.mjs.
//
// Exits 0 when every response had its expected status and a well-formed body, nothing was
// unanswered, no connection failed and memory stayed bounded; 1 otherwise. Throughput is printed,
// never asserted. Targets 127.0.0.1 only, and stops the sample whatever happens (Ctrl-C too).
//
// TEST_LOAD_BATCHES=<n> runs n measured batches instead of 5 (a longer soak).
//
// Needs the package and the sample built: `npm run build && npm run build:sample`.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { formatMB, judgeSeries, MEMORY_RULES, readLive, readRss } from './memory.mjs';
import { formatTable, judgeTotals, Tally } from './report.mjs';
import { buildKinds, checkSignerAgainstVectors, cycleOf, loadMaterial } from './requests.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SAMPLE_MAIN = join(ROOT, 'dist-sample', 'main.js');
const PACKAGE_ENTRY = join(ROOT, 'dist', 'esm', 'index.js');
const CHILD_PRELOAD = fileURLToPath(new URL('./child-preload.mjs', import.meta.url));

/** Only ever loopback. */
const HOST = '127.0.0.1';
/** Concurrent connections of each measured batch. */
const CONNECTIONS = 64;
/** Measured batches; RSS is read after each. TEST_LOAD_BATCHES=20 makes a longer soak. */
const BATCHES = Math.max(3, Number(process.env.TEST_LOAD_BATCHES) || 5);
/** Times each connection goes through the whole cycle of kinds in one batch (so counts are exact). */
const CYCLES_PER_BATCH = 1;
/** The warm-up: a few connections, one cycle each (a few hundred requests), not judged for RSS. */
const WARMUP_CONNECTIONS = 8;
/** Seconds autocannon waits for one response: generous, a shared machine can stall. */
const REQUEST_TIMEOUT_S = 30;
/** Idle time before the reading "after the load". */
const SETTLE_MS = 2000;
/** The whole run is abandoned (and fails) past this. */
const DEADLINE_MS = 8 * 60_000;
/** How long the sample may take to start listening. */
const STARTUP_TIMEOUT_MS = 30_000;

// Fresh credentials per run: a response that contains one of them is a leak, not a coincidence.
const CONFIG = Object.freeze({
  secret: `wh_secret_load${randomBytes(8).toString('hex')}`,
  wrongSecret: `wh_secret_load${randomBytes(8).toString('hex')}`,
  username: 'jambonz',
  password: `p:ss wörd ${randomBytes(4).toString('hex')}`,
});

const state = {
  child: undefined,
  childExit: undefined,
  instance: undefined,
  logDir: undefined,
  logPath: undefined,
  aborted: undefined,
};

const log = (line = '') => process.stdout.write(`${line}\n`);
const nowSeconds = () => Math.floor(Date.now() / 1000);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A port that was free a moment ago on 127.0.0.1. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts the sample on `port`.
 * @returns true once it logs that it listens; false when it exits first (the port was taken, say).
 */
async function startSample(port) {
  state.logDir ??= mkdtempSync(join(tmpdir(), 'jambonz-load-'));
  state.logPath = join(state.logDir, `sample-${port}.log`);
  const out = openSync(state.logPath, 'w');
  state.childExit = undefined;
  // The sample's Nest logger writes one line per refused request (warn) and per call or status
  // hook (log): its output goes to a file, read back only to see it start or to explain a failure.
  const child = spawn(process.execPath, ['--expose-gc', '--import', CHILD_PRELOAD, SAMPLE_MAIN], {
    cwd: ROOT,
    env: {
      ...process.env,
      HOST,
      PORT: String(port),
      JAMBONZ_WEBHOOK_SECRET: CONFIG.secret,
      JAMBONZ_WEBHOOK_USERNAME: CONFIG.username,
      JAMBONZ_WEBHOOK_PASSWORD: CONFIG.password,
      NO_COLOR: '1',
    },
    stdio: ['ignore', out, out, 'ipc'],
  });
  closeSync(out);
  state.child = child;
  child.on('exit', (code, signal) => {
    state.childExit = { code, signal };
    // A running batch would otherwise retry connections until its timeouts.
    state.instance?.stop();
  });
  child.on('error', (error) => {
    state.childExit ??= { code: null, signal: null, error };
  });

  const ready = `Listening on http://${HOST}:${port}`;
  const started = Date.now();
  while (Date.now() - started < STARTUP_TIMEOUT_MS) {
    if (state.childExit) return false;
    if (readFileSync(state.logPath, 'utf8').includes(ready)) return true;
    await sleep(100);
  }
  throw new Error(`the sample did not listen within ${STARTUP_TIMEOUT_MS / 1000} s`);
}

/** Stops the sample: SIGTERM, then SIGKILL after 5 s. Safe to call more than once. */
async function stopSample() {
  const child = state.child;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

function sampleLogTail(lines = 25) {
  if (!state.logPath || !existsSync(state.logPath)) return '(no log)';
  return readFileSync(state.logPath, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

/**
 * Runs one autocannon batch: every connection goes `cycles` times through the cycle of kinds,
 * each starting at a different point of it, so the kinds are mixed at every moment while the
 * count of each is exact.
 * @returns `{ result, requests, seconds }`.
 */
function runBatch({ port, kinds, connections, cycles, tally, extra }) {
  const cycle = cycleOf(kinds);
  for (const kind of kinds) tally.plan(kind, connections * cycles * kind.weight);
  // One request object per entry of the cycle, shared by all connections: autocannon builds each
  // object's request buffer once, and an oversized body is held once rather than per connection.
  const requests = cycle.map((kind) => ({
    method: kind.method,
    path: kind.path,
    headers: { ...kind.headers },
    ...(kind.body !== undefined && { body: kind.body }),
    onResponse: (status, body, _context, rawHeaders) => onResponse(kind, status, body, rawHeaders, tally, extra),
  }));
  let clientIndex = 0;
  const amount = connections * requests.length * cycles;
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const instance = autocannon(
      {
        url: `http://${HOST}:${port}`,
        connections,
        amount,
        pipelining: 1,
        timeout: REQUEST_TIMEOUT_S,
        // The requests are set per connection here (rather than with `requests`), rotated.
        setupClient(client) {
          const offset = clientIndex++ % requests.length;
          client.setRequests([...requests.slice(offset), ...requests.slice(0, offset)]);
        },
      },
      (error, result) => {
        state.instance = undefined;
        if (error) return reject(error);
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        resolve({ result, requests: amount, seconds });
      },
    );
    state.instance = instance;
    instance.on('reqError', (error) => {
      if (extra.errorSamples.length < 5) extra.errorSamples.push(String(error?.message ?? error));
    });
  });
}

function onResponse(kind, status, body, rawHeaders, tally, extra) {
  const headers = {};
  for (const [name, value] of Object.entries(rawHeaders ?? {})) headers[name.toLowerCase()] = value;
  // autocannon attributes responses to requests in order on each connection; a connection the
  // server closes would shift that order (and reconnecting skips a request), so it must not happen.
  if (String(headers.connection ?? '').toLowerCase() === 'close') extra.closes++;
  const text = `${body}${JSON.stringify(headers)}`;
  if (text.includes(CONFIG.secret) || text.includes(CONFIG.password) || text.includes(CONFIG.wrongSecret)) extra.leaks++;
  const problem = status === kind.expected && kind.check ? kind.check(body, headers) : undefined;
  if (status !== kind.expected || problem) {
    // Keep, per kind, the first example of its most serious problem.
    const severity = severityOf(kind.expected, status);
    const kept = extra.examples.get(kind.name);
    if (!kept || severity < kept.severity) {
      extra.examples.set(kind.name, { severity, status, problem, body: String(body).slice(0, 300), kind });
    }
  }
  tally.record(kind, status, problem);
}

/** 0 false accept, 1 a 5xx, 2 false reject, 3 another status, 4 right status with a wrong body. */
function severityOf(expected, status) {
  const success = (code) => code >= 200 && code < 300;
  if (status === expected) return 4;
  if (success(status) && !success(expected)) return 0;
  if (status >= 500) return 1;
  if (success(expected)) return 2;
  return 3;
}

/**
 * The sample's memory now: RSS as the batch left it, then (after the sample has run a full GC,
 * see child-preload.mjs) RSS again and the live heap + external memory. The readings after the
 * GC are the judged ones: right after a batch, RSS swings by tens of MB with the garbage of the
 * last few 2 MB bodies, which says nothing about growth.
 */
async function readMemory(label, batch) {
  const pid = state.child.pid;
  const rawRss = readRss(pid);
  const live = await readLive(state.child);
  return { label, batch, rawRss, live, rss: readRss(pid) };
}

function describeMemory({ rawRss, rss, live }) {
  return `RSS ${formatMB(rawRss).padStart(8)}, after GC ${formatMB(rss).padStart(8)}, live ${formatMB(live).padStart(7)}`;
}

function describeBatch(label, { requests, seconds, result }, reading) {
  const rate = requests / seconds;
  return (
    `${label.padEnd(9)} ${String(requests).padStart(6)} requests in ${seconds.toFixed(1).padStart(5)} s ` +
    `${rate.toFixed(0).padStart(5)} req/s  p50 ${String(result.latency.p50).padStart(4)} ms  p99 ${String(result.latency.p99).padStart(5)} ms  ` +
    describeMemory(reading)
  );
}

/** curl-like reproduction of one request kind (without the oversized body). */
function reproduction(kind, port) {
  const headers = Object.entries(kind.headers)
    .map(
      ([name, value]) =>
        `-H '${name}: ${String(value).length > 200 ? `${String(value).slice(0, 60)}...(${String(value).length} chars)` : value}'`,
    )
    .join(' ');
  const body =
    kind.body === undefined
      ? ''
      : typeof kind.body === 'string' && kind.body.length < 300
        ? ` --data-raw '${kind.body}'`
        : ` --data-binary @<${Buffer.byteLength(kind.body)} bytes>`;
  return `curl -i -X ${kind.method} ${headers}${body} http://${HOST}:${port}${kind.path}`;
}

async function main() {
  const startedAt = Date.now();
  for (const [file, what] of [
    [PACKAGE_ENTRY, 'the package (npm run build)'],
    [SAMPLE_MAIN, 'the sample (npm run build:sample)'],
  ]) {
    if (!existsSync(file)) throw new Error(`${file} is missing: build ${what} first, or run npm run test:load`);
  }
  const vectors = checkSignerAgainstVectors();
  log(`test/load: signer agrees with ${vectors} vectors of test/fixtures/jambonz-webhooks/vectors.json`);
  const material = loadMaterial();

  let port;
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    if (await startSample(port)) break;
    if (attempt === 3) throw new Error(`the sample exited at startup (${JSON.stringify(state.childExit)}):\n${sampleLogTail()}`);
  }
  log(`test/load: sample pid ${state.child.pid} on http://${HOST}:${port} (log: ${state.logPath})`);

  const tally = new Tally();
  const extra = { errors: 0, timeouts: 0, closes: 0, leaks: 0, errorSamples: [], examples: new Map() };
  const series = [];
  const kindsAt = () => buildKinds(material, CONFIG, nowSeconds());
  const cycleLength = cycleOf(kindsAt()).length;
  log(
    `test/load: ${kindsAt().length} request kinds, a cycle of ${cycleLength} requests; ` +
      `${BATCHES} batches x ${CONNECTIONS} connections x ${CYCLES_PER_BATCH} cycles = ${BATCHES * CONNECTIONS * CYCLES_PER_BATCH * cycleLength} requests after a warm-up of ${WARMUP_CONNECTIONS * cycleLength}`,
  );

  const batch = async (label, connections, cycles, judged) => {
    if (state.aborted) throw new Error(state.aborted);
    // Signed now: every batch is far inside the 300 s tolerance, however slow the machine.
    const run = await runBatch({ port, kinds: kindsAt(), connections, cycles, tally, extra });
    extra.errors += run.result.errors;
    extra.timeouts += run.result.timeouts;
    if (state.childExit) {
      throw new Error(`the sample exited during ${label} (${JSON.stringify(state.childExit)}):\n${sampleLogTail()}`);
    }
    if (state.aborted) throw new Error(state.aborted);
    series.push(await readMemory(label, judged));
    log(describeBatch(label, run, series.at(-1)));
    return run;
  };

  await batch('warm-up', WARMUP_CONNECTIONS, 1, false);
  let measured = 0;
  let measuredSeconds = 0;
  for (let i = 1; i <= BATCHES; i++) {
    const run = await batch(`batch ${i}`, CONNECTIONS, CYCLES_PER_BATCH, true);
    measured += run.requests;
    measuredSeconds += run.seconds;
  }
  await sleep(SETTLE_MS);
  const after = await readMemory('after', false);
  series.push(after);
  log(`after ${SETTLE_MS / 1000} s idle${' '.repeat(56)}${describeMemory(after)}`);

  // ---- report
  log();
  log(formatTable(tally));
  const examples = [...extra.examples.values()].sort((a, b) => a.severity - b.severity);
  if (examples.length > 0) {
    log();
    log(
      `${examples.length} kinds got a wrong response; the most serious${examples.length > 6 ? ' 6' : ''}, and how to send one again:`,
    );
    log(
      `  start the sample as this run did: JAMBONZ_WEBHOOK_SECRET='${CONFIG.secret}' JAMBONZ_WEBHOOK_USERNAME='${CONFIG.username}' ` +
        `JAMBONZ_WEBHOOK_PASSWORD='${CONFIG.password}' HOST=${HOST} PORT=${port} node dist-sample/main.js`,
    );
    log(`  (signatures below were made at the batch's start: re-sign, e.g. with npm run webhook, once 300 s have passed)`);
  }
  for (const { status, problem, body, kind } of examples.slice(0, 6)) {
    log();
    log(`  "${kind.name}": got ${status}${problem ? ` (${problem})` : ''}, expected ${kind.expected}`);
    log(`    body: ${body}`);
    log(`    ${reproduction(kind, port)}`);
  }
  log();
  const totals = judgeTotals(tally, extra);
  log('totals');
  for (const line of totals.lines) log(line);
  if (extra.errorSamples.length > 0) log(`   first connection errors: ${extra.errorSamples.join('; ')}`);
  log(
    `   throughput (printed, not judged): ${measured} measured requests in ${measuredSeconds.toFixed(1)} s = ${(measured / measuredSeconds).toFixed(0)} req/s over ${CONNECTIONS} connections`,
  );
  log();
  const seriesLine = (what, key) => `${what.padEnd(24)} ${series.map((s) => `${s.label} ${formatMB(s[key])}`).join(', ')}`;
  log(seriesLine('RSS right after a batch:', 'rawRss'));
  log(seriesLine('RSS after a full GC:', 'rss'));
  log(seriesLine('live after a full GC:', 'live'));
  const memory = [
    judgeSeries(
      'RSS after GC',
      MEMORY_RULES.rss,
      series.map((s) => ({ ...s, value: s.rss })),
      after.rss,
    ),
    judgeSeries(
      'live',
      MEMORY_RULES.live,
      series.map((s) => ({ ...s, value: s.live })),
      after.live,
    ),
  ];
  for (const verdict of memory) for (const line of verdict.lines) log(`  ${line}`);
  log(`  (rules: memory.mjs MEMORY_RULES ${JSON.stringify(MEMORY_RULES)})`);
  log();
  const ok = totals.ok && memory.every((verdict) => verdict.ok);
  log(`test/load: ${ok ? 'PASS' : 'FAIL'} in ${((Date.now() - startedAt) / 1000).toFixed(0)} s`);
  if (!ok) {
    log(`sample log (last lines of ${state.logPath}):`);
    log(sampleLogTail(15));
  }
  return ok;
}

function abort(reason) {
  if (state.aborted) return;
  state.aborted = reason;
  state.instance?.stop();
}

// Ctrl-C and friends: stop the load, stop the sample, exit 130 (or 143).
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
  ['SIGHUP', 129],
]) {
  process.once(signal, () => {
    log(`\ntest/load: ${signal}, stopping the load and the sample${state.logPath ? ` (its log: ${state.logPath})` : ''}`);
    abort(signal);
    stopSample().finally(() => process.exit(code));
    setTimeout(() => process.exit(code), 6000).unref();
  });
}
// Last resort, synchronous: whatever path leads to exit, the sample does not outlive this process.
process.on('exit', () => {
  const child = state.child;
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

const deadline = setTimeout(() => abort(`deadline of ${DEADLINE_MS / 60000} minutes passed`), DEADLINE_MS);
deadline.unref();

let ok = false;
try {
  ok = await main();
} catch (error) {
  log(`test/load: FAIL: ${error?.stack ?? error}`);
} finally {
  clearTimeout(deadline);
  await stopSample();
  if (ok && state.logDir) rmSync(state.logDir, { recursive: true, force: true });
  else if (state.logPath) log(`test/load: the sample's log is kept in ${state.logPath}`);
}
process.exitCode = ok ? 0 : 1;
