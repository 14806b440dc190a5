// What the numbers were measured on: the first lines of every report.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { sourceState } from '../scripts/source-state.mjs';

/** The version in node_modules/<name>/package.json (read from disk: not every package exports it). */
function packageVersion(name) {
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
    if (line) return line.split(':').slice(1).join(':').trim();
  } catch {
    // not Linux: os.cpus() below
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

/** @returns the report's header lines: machine, load, runtime and package versions, measured source. */
export function machineLines() {
  const versions = (names) => names.map((name) => `${name} ${packageVersion(name)}`).join(', ');
  const load = os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
  return [
    `machine: nproc ${os.availableParallelism()}, CPU "${cpuModel()}", ${Math.round(os.totalmem() / 2 ** 30)} GiB; load average at start ${load}`,
    `node ${process.version} (OpenSSL ${process.versions.openssl}); ${versions(['@nestjs/core', 'express', 'fastify'])}`,
    `tools: ${versions(['mitata', 'autocannon'])}; peers: ${versions(['@jambonz/sdk', '@jambonz/node-client'])}`,
    `measured source: ${sourceState()}`,
  ];
}
