// What the numbers were measured on: printed at the top of every run.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

/** The version in node_modules/<name>/package.json (read from disk: not every package exports it). */
export function packageVersion(name) {
  try {
    return JSON.parse(readFileSync(new URL(`../node_modules/${name}/package.json`, import.meta.url), 'utf8')).version;
  } catch {
    return 'not installed';
  }
}

function cpuModel() {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    return line ? line.split(':').slice(1).join(':').trim() : (os.cpus()[0]?.model ?? 'unknown');
  } catch {
    return os.cpus()[0]?.model ?? 'unknown';
  }
}

/** The commit measured, and how many files under src/ differ from it (others may be editing). */
function sourceState() {
  const git = (...args) =>
    execFileSync('git', args, {
      cwd: new URL('..', import.meta.url),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  try {
    const changed = git('status', '--porcelain', '--', 'src').split('\n').filter(Boolean).length;
    return `${git('rev-parse', '--short', 'HEAD')}${changed ? ` + ${changed} changed file(s) under src/` : ''}`;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

export function machineInfo() {
  return {
    nproc: os.availableParallelism(),
    cpu: cpuModel(),
    memory: `${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    node: process.version,
    v8: process.versions.v8,
    openssl: process.versions.openssl,
    nest: packageVersion('@nestjs/core'),
    express: packageVersion('express'),
    fastify: packageVersion('fastify'),
    mitata: packageVersion('mitata'),
    autocannon: packageVersion('autocannon'),
    jambonzSdk: packageVersion('@jambonz/sdk'),
    jambonzNodeClient: packageVersion('@jambonz/node-client'),
    gcExposed: typeof globalThis.gc === 'function',
    loadavg: os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' '),
    source: sourceState(),
  };
}
