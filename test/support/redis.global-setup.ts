// Jest global setup (jest.config.js): looks for redis-server once per run, before any test file
// loads, and hands the answer to every worker through the environment (describeWithRedis in
// redis-server.ts reads it). Where it is missing, the suites that need it are skipped and
// skipped-tests.reporter.mjs ends the run with one line saying so; under CI=true (CI installs
// it) the run fails here instead. Node runs this file outside Jest's module system: it may
// import Node's modules only.
import { spawnSync } from 'node:child_process';

/** How to get redis-server, for the messages that say it is missing. */
export const INSTALL_HINT = 'install it, e.g. apt-get install redis-server';

/** The environment variable that carries the answer to the test files: `present` or `absent`. */
export const REDIS_PROBE_VARIABLE = 'JAMBONZ_TEST_REDIS_SERVER';

/**
 * Whether `redis-server` can be run, by running `redis-server --version`. Only a missing
 * executable (ENOENT) counts as absent; one that is there but broken counts as present, so that
 * the suites fail and show why instead of being skipped.
 */
export function probeRedisServer(): 'present' | 'absent' {
  const { error } = spawnSync('redis-server', ['--version'], { stdio: 'ignore', timeout: 10_000 });
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT' ? 'absent' : 'present';
}

/** Whether the run is CI's: `CI` set to anything but an empty string, `0` or `false`. */
function inCi(): boolean {
  const ci = (process.env.CI ?? '').trim().toLowerCase();
  return ci !== '' && ci !== '0' && ci !== 'false';
}

export default function findRedisServer(): void {
  const found = probeRedisServer();
  process.env[REDIS_PROBE_VARIABLE] = found;
  if (found === 'absent' && inCi()) {
    const error = new Error(
      `redis-server is not on the PATH, and under CI=${process.env.CI} the suites that need it must run (${INSTALL_HINT}; .ci/run does).`,
    );
    error.stack = error.message; // the reason alone: a stack trace of this file would bury it
    throw error;
  }
}
