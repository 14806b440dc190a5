#!/usr/bin/env node
// Tests the package as users get it: builds it, packs it with `npm pack`, and for each consumer
// app under test/consumers/ copies the app to a fresh temporary directory (node_modules never
// land in the repository, and nothing resolves from the repository's own node_modules), installs
// the tarball plus the app's dependencies from the registry, and runs the app's `npm test`.
//
//   node scripts/test-consumers.mjs [options] [consumer...]
//
//   --no-build        do not run `npm run build` first (dist/ must be current)
//   --tarball <file>  test this tarball instead of building and packing
//   --jobs <n>        consumers run at the same time (default 1; installs are mostly network)
//   --prefer-offline  let npm install use cached registry metadata without revalidating it
//   --keep            keep the temporary directories (they are always kept on failure)
//   --verbose         stream every command's output instead of showing it only on failure
//
// Prints one PASS/FAIL line per consumer, then `N passed, N failed`; exits 1 on any failure.
import { spawn } from 'node:child_process';
import {
  cpSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const root = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
const consumersDir = join(root, 'test', 'consumers');
/** The payload every consumer signs and sends, copied from the repo's fixtures into each one's `fixtures/`. */
const CONSUMER_FIXTURE = join(root, 'test', 'fixtures', 'jambonz-webhooks', 'call-hook-outbound-rest.json');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const INSTALL_TIMEOUT_MS = 6 * 60_000;
const TEST_TIMEOUT_MS = 6 * 60_000;

const { values: options, positionals: only } = parseArgs({
  allowPositionals: true,
  options: {
    'no-build': { type: 'boolean', default: false },
    tarball: { type: 'string' },
    jobs: { type: 'string', default: '1' },
    'prefer-offline': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
  },
});

/**
 * The environment of the commands run in a consumer: npm's variables from an enclosing
 * `npm run` (the root package's name, scripts, local prefix...) would leak the repository
 * into the consumer's npm.
 */
function childEnv() {
  const env = { ...process.env, CI: process.env.CI ?? '1', NO_UPDATE_NOTIFIER: '1' };
  for (const key of Object.keys(env)) {
    if (/^npm_(package|lifecycle|command|config_local_prefix)/i.test(key) || key === 'INIT_CWD') delete env[key];
  }
  return env;
}

/** Commands running now. Each leads its own process group, so that a timeout or Ctrl-C ends the
 * whole tree it started (npm, then node, jest and its workers), not only npm. */
const running = new Set();
function killGroup(child) {
  try {
    process.kill(process.platform === 'win32' ? child.pid : -child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    for (const child of running) killGroup(child);
    process.exit(130);
  });
}

/**
 * Runs a command; its output goes to `log` (and the terminal with --verbose).
 * @returns the exit code (or a failure description) and the time taken.
 */
function run(command, args, { cwd, log, timeoutMs, env = childEnv() }) {
  const started = performance.now();
  return new Promise((resolvePromise) => {
    log.write(`\n$ ${[command, ...args].join(' ')}   (in ${cwd})\n`);
    const windows = process.platform === 'win32';
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: !windows, shell: windows });
    running.add(child);
    for (const stream of [child.stdout, child.stderr]) {
      stream.on('data', (chunk) => {
        log.write(chunk);
        if (options.verbose) process.stdout.write(chunk);
      });
    }
    const timer = setTimeout(() => {
      log.write(`\n[timed out after ${timeoutMs / 1000}s]\n`);
      killGroup(child);
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      running.delete(child);
      resolvePromise({ ok: false, why: error.message, seconds: (performance.now() - started) / 1000 });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      const seconds = (performance.now() - started) / 1000;
      resolvePromise({ ok: code === 0, why: signal ? `killed by ${signal}` : `exit code ${code}`, seconds });
    });
  });
}

/** A log that is kept in memory and in a file. */
function openLog(path) {
  const file = createWriteStream(path);
  let text = '';
  return {
    path,
    write(chunk) {
      text += chunk;
      file.write(chunk);
    },
    tail(lines) {
      return text.split('\n').slice(-lines).join('\n');
    },
    close: () => new Promise((done) => file.end(done)),
  };
}

function fail(message, log) {
  if (log) console.error(log.tail(80));
  console.error(`test-consumers: ${message}`);
  process.exit(1);
}

const secs = (seconds) => `${seconds.toFixed(1)}s`;

// ---------------------------------------------------------------------------------------------
const allConsumers = readdirSync(consumersDir)
  .filter((name) => existsSync(join(consumersDir, name, 'package.json')))
  .sort();
const unknown = only.filter((name) => !allConsumers.includes(name));
if (unknown.length > 0) fail(`unknown consumer(s) ${unknown.join(', ')}; known: ${allConsumers.join(', ')}`);
const consumers = only.length > 0 ? only : allConsumers;
const jobs = Math.max(1, Number.parseInt(options.jobs, 10) || 1);

const workDir = mkdtempSync(join(tmpdir(), 'jambonz-consumers-'));
const setupLog = openLog(join(workDir, 'setup.log'));
const startedAll = performance.now();
console.log(`node ${process.version}, npm in ${workDir}`);

let tarball;
if (options.tarball) {
  tarball = resolve(options.tarball);
  if (!existsSync(tarball)) fail(`no tarball at ${tarball}`);
} else {
  if (!options['no-build']) {
    const build = await run(npm, ['run', 'build'], { cwd: root, log: setupLog, timeoutMs: 5 * 60_000 });
    if (!build.ok) fail(`npm run build failed (${build.why})`, setupLog);
    console.log(`built in ${secs(build.seconds)}`);
  }
  const packDir = join(workDir, 'pack');
  mkdirSync(packDir); // npm pack does not create it
  const pack = await run(npm, ['pack', '--pack-destination', packDir, '--loglevel=error'], {
    cwd: root,
    log: setupLog,
    timeoutMs: 2 * 60_000,
  });
  const packed = existsSync(packDir) ? readdirSync(packDir).filter((name) => name.endsWith('.tgz')) : [];
  if (!pack.ok || packed.length !== 1) fail(`npm pack failed (${pack.why})`, setupLog);
  tarball = join(packDir, packed[0]);
}
console.log(`tarball ${basename(tarball)} (${(statSync(tarball).size / 1024).toFixed(1)} kB)`);

/** Copies one consumer to its own directory, installs it and runs its tests. */
async function testConsumer(name) {
  const dir = join(workDir, name);
  cpSync(join(consumersDir, name), dir, {
    recursive: true,
    filter: (source) => !/[\\/](node_modules|dist|package-lock\.json)$/.test(relative(consumersDir, source)),
  });
  mkdirSync(join(dir, 'fixtures'), { recursive: true });
  cpSync(CONSUMER_FIXTURE, join(dir, 'fixtures', basename(CONSUMER_FIXTURE)));
  const log = openLog(join(workDir, `${name}.log`));
  const result = { name, dir, log, install: 0, test: 0, ok: false, why: '' };
  try {
    const installArgs = ['install', '--no-audit', '--no-fund', '--loglevel=error'];
    if (options['prefer-offline']) installArgs.push('--prefer-offline');
    const install = await run(npm, [...installArgs, tarball], {
      cwd: dir,
      log,
      timeoutMs: INSTALL_TIMEOUT_MS,
    });
    result.install = install.seconds;
    if (!install.ok) {
      result.why = `npm install: ${install.why}`;
      return result;
    }
    const installed = JSON.parse(readFileSync(join(dir, 'node_modules', 'nestjs-jambonz-auth', 'package.json'), 'utf8'));
    log.write(`\ninstalled nestjs-jambonz-auth@${installed.version}\n`);
    const test = await run(npm, ['test'], { cwd: dir, log, timeoutMs: TEST_TIMEOUT_MS });
    result.test = test.seconds;
    result.ok = test.ok;
    if (!test.ok) result.why = `npm test: ${test.why}`;
    return result;
  } catch (error) {
    result.why = error instanceof Error ? error.message : String(error);
    return result;
  } finally {
    await log.close();
  }
}

const results = [];
const queue = [...consumers];
async function worker() {
  for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
    console.log(`${name}: installing and testing...`);
    const result = await testConsumer(name);
    results.push(result);
    const timing = `install ${secs(result.install)}, test ${secs(result.test)}`;
    if (result.ok) {
      console.log(`PASS ${name} (${timing})`);
    } else {
      if (!options.verbose) console.log(result.log.tail(80));
      console.log(`FAIL ${name} (${result.why}; ${timing}) log: ${result.log.path}`);
    }
  }
}
await Promise.all(Array.from({ length: Math.min(jobs, consumers.length) }, worker));
await setupLog.close();

const failed = results.filter((result) => !result.ok);
if (failed.length === 0 && !options.keep) {
  rmSync(workDir, { recursive: true, force: true });
} else {
  console.log(`kept ${workDir}`);
}
console.log(`total ${secs((performance.now() - startedAll) / 1000)}`);
console.log(`${results.length - failed.length} passed, ${failed.length} failed`);
process.exitCode = failed.length === 0 ? 0 : 1;
