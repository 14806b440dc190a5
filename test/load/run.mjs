// Load and fault check of the sample app over loopback: `npm run test:load`.
//
// Starts the built sample (dist-sample/main.js) as a child process with a webhook secret and
// Basic credentials, then fires batches of mixed requests at it with autocannon (64 keep-alive
// connections): genuine jambonz webhooks, forged, altered, stale, future and malformed
// signatures, wrong or missing credentials, a wrong content type, deep JSON, oversized bodies, GET
// (with and without a body) and OPTIONS (requests.mjs).
// Every response is attributed to the kind of request that got it and compared with the one
// status that kind must get. The sample's memory is read after a warm-up, after each batch and
// after the load, and judged by the rules in memory.mjs.
//
// Exits 0 when there was no false accept, no false reject, no 5xx, no other wrong status or body,
// nothing unanswered, no connection failed and memory stayed bounded; 1 otherwise. Timings are
// neither printed nor judged. Targets 127.0.0.1 only, and stops the sample whatever happens.
//
// TEST_LOAD_BATCHES=<n> runs n measured batches instead of 5 (a longer soak).
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
const CHILD_PRELOAD = fileURLToPath(new URL('./child-preload.mjs', import.meta.url));

/** Only ever loopback. */
const HOST = '127.0.0.1';
/** Concurrent connections of each measured batch; each goes once through the cycle of kinds. */
const CONNECTIONS = 64;
/** Measured batches; memory is read after each. */
const BATCHES = Math.max(3, Number(process.env.TEST_LOAD_BATCHES) || 5);
/** Connections of the warm-up batch (memory not judged: V8 has not yet sized its heaps). */
const WARMUP_CONNECTIONS = 8;
/** Seconds autocannon waits for one response: generous, a shared machine can stall. */
const REQUEST_TIMEOUT_S = 30;
/** Idle time before the reading "after the load". */
const SETTLE_MS = 2000;
/** The whole run is abandoned (and fails) past this. */
const DEADLINE_MS = 8 * 60_000;
const STARTUP_TIMEOUT_MS = 30_000;

// Fresh credentials per run: a response that contains one of them is a leak, not a coincidence.
const CONFIG = Object.freeze({
  secret: `wh_secret_load${randomBytes(8).toString('hex')}`,
  wrongSecret: `wh_secret_load${randomBytes(8).toString('hex')}`,
  username: 'jambonz',
  password: `p:ss wörd ${randomBytes(4).toString('hex')}`,
});

const state = { child: undefined, childExit: undefined, instance: undefined, logPath: undefined, aborted: undefined };
const log = (line = '') => process.stdout.write(`${line}\n`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A port that was free a moment ago on 127.0.0.1. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, HOST, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts the sample on `port`, its output (one line per refused request) in a log file.
 * @returns true once it logs that it listens; false when it exits first (the port was taken, say).
 */
async function startSample(port, logDir) {
  state.logPath = join(logDir, `sample-${port}.log`);
  const out = openSync(state.logPath, 'w');
  state.childExit = undefined;
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
    state.instance?.stop(); // a running batch would otherwise retry connections until its timeouts
  });
  child.on('error', (error) => (state.childExit ??= { error: String(error) }));
  const started = Date.now();
  while (Date.now() - started < STARTUP_TIMEOUT_MS) {
    if (state.childExit) return false;
    if (readFileSync(state.logPath, 'utf8').includes(`Listening on http://${HOST}:${port}`)) return true;
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

function sampleLogTail(lines = 15) {
  if (!state.logPath || !existsSync(state.logPath)) return '(no log)';
  return readFileSync(state.logPath, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

/**
 * One batch: every connection goes once through the cycle of kinds, each starting at a
 * different point of it, so the kinds are mixed at every moment while the count of each is exact.
 */
function runBatch(port, kinds, connections, tally, extra) {
  const cycle = cycleOf(kinds);
  for (const kind of kinds) tally.plan(kind, connections * kind.weight);
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
  return new Promise((resolve, reject) => {
    state.instance = autocannon(
      {
        url: `http://${HOST}:${port}`,
        connections,
        amount: connections * requests.length,
        timeout: REQUEST_TIMEOUT_S,
        setupClient(client) {
          const offset = clientIndex++ % requests.length;
          client.setRequests([...requests.slice(offset), ...requests.slice(0, offset)]);
        },
      },
      (error, result) => {
        state.instance = undefined;
        if (error) return reject(error);
        extra.errors += result.errors;
        extra.timeouts += result.timeouts;
        resolve();
      },
    );
    state.instance.on('reqError', (error) => {
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
  if ((status !== kind.expected || problem) && !extra.examples.has(kind.name)) {
    extra.examples.set(
      kind.name,
      `"${kind.name}": got ${status}${problem ? ` (${problem})` : ''}, expected ${kind.expected}; body: ${String(body).slice(0, 300)}`,
    );
  }
  tally.record(kind, status, problem);
}

/**
 * The sample's memory after a full GC (asked over IPC, see child-preload.mjs): RSS, and live
 * heap + external. Right after a batch, RSS swings by tens of MB with the garbage of the last
 * few 2 MB bodies, which says nothing about growth; after the GC it does.
 */
async function readMemory(label, batch) {
  const live = await readLive(state.child);
  return { label, batch, live, rss: readRss(state.child.pid) };
}

async function main(logDir) {
  if (!existsSync(SAMPLE_MAIN))
    throw new Error(`${SAMPLE_MAIN} is missing: run npm run test:load (it builds the package and the sample)`);
  log(`test/load: signer agrees with ${checkSignerAgainstVectors()} vectors of test/fixtures/jambonz-webhooks/vectors.json`);
  const material = loadMaterial();

  let port;
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    if (await startSample(port, logDir)) break;
    if (attempt === 3) throw new Error(`the sample exited at startup (${JSON.stringify(state.childExit)}):\n${sampleLogTail()}`);
  }
  // Signed now, for each batch: every batch is far inside the 300 s tolerance, however slow the machine.
  const kindsNow = () => buildKinds(material, CONFIG, Math.floor(Date.now() / 1000));
  const cycleLength = cycleOf(kindsNow()).length;
  log(
    `test/load: sample on http://${HOST}:${port}; ${kindsNow().length} request kinds in a cycle of ${cycleLength}; ` +
      `a warm-up of ${WARMUP_CONNECTIONS * cycleLength} requests, then ${BATCHES} batches of ${CONNECTIONS * cycleLength}`,
  );

  const tally = new Tally();
  const extra = { errors: 0, timeouts: 0, closes: 0, leaks: 0, errorSamples: [], examples: new Map() };
  const series = [];
  for (let batch = 0; batch <= BATCHES; batch++) {
    const label = batch === 0 ? 'warm-up' : `batch ${batch}`;
    await runBatch(port, kindsNow(), batch === 0 ? WARMUP_CONNECTIONS : CONNECTIONS, tally, extra);
    if (state.childExit)
      throw new Error(`the sample exited during ${label} (${JSON.stringify(state.childExit)}):\n${sampleLogTail()}`);
    if (state.aborted) throw new Error(state.aborted);
    series.push(await readMemory(label, batch > 0));
    log(`${label.padEnd(8)} done; after GC: RSS ${formatMB(series.at(-1).rss)}, live ${formatMB(series.at(-1).live)}`);
  }
  await sleep(SETTLE_MS);
  const after = await readMemory('after', false);
  series.push(after);

  log();
  log(formatTable(tally));
  for (const example of [...extra.examples.values()].slice(0, 6)) log(`  first wrong response of ${example}`);
  const totals = judgeTotals(tally, extra);
  log();
  log('totals');
  for (const line of totals.lines) log(line);
  if (extra.errorSamples.length > 0) log(`   first connection errors: ${extra.errorSamples.join('; ')}`);
  log();
  const memory = ['rss', 'live'].map((key) =>
    judgeSeries(
      key === 'rss' ? 'RSS after GC' : 'live',
      MEMORY_RULES[key],
      series.map((s) => ({ ...s, value: s[key] })),
      after[key],
    ),
  );
  for (const verdict of memory) for (const line of verdict.lines) log(`  ${line}`);
  return totals.ok && memory.every((verdict) => verdict.ok);
}

// Ctrl-C and friends: stop the load and the sample, exit 128 + the signal's number.
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
]) {
  process.once(signal, () => {
    state.aborted = signal;
    state.instance?.stop();
    stopSample().finally(() => process.exit(code));
  });
}
// Last resort, synchronous: whatever path leads to exit, the sample does not outlive this process.
process.on('exit', () => {
  if (state.child?.exitCode === null && state.child.signalCode === null) state.child.kill('SIGKILL');
});
const deadline = setTimeout(() => {
  state.aborted = `deadline of ${DEADLINE_MS / 60_000} minutes passed`;
  state.instance?.stop();
}, DEADLINE_MS).unref();

const started = Date.now();
const logDir = mkdtempSync(join(tmpdir(), 'jambonz-load-'));
let ok = false;
try {
  ok = await main(logDir);
} catch (error) {
  log(`test/load: ${error?.stack ?? error}`);
} finally {
  clearTimeout(deadline);
  await stopSample();
}
log();
log(`test/load: ${ok ? 'PASS' : 'FAIL'} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
if (ok) rmSync(logDir, { recursive: true, force: true });
else log(`the sample's log: ${state.logPath}\n${sampleLogTail()}`);
process.exitCode = ok ? 0 : 1;
