// Memory across 100k verifications, in a fresh child process started with --expose-gc:
//
//   node --expose-gc bench/memory.mjs [iterations=100000] [bytes=4096]
//
// A snapshot at start-up; a warm-up (20k verifications: JIT, V8's young generation grown to its
// working size); full GC and the baseline; `iterations` verifications, GC, "after"; the same
// again, GC, "after x2", to tell a one-off step from growth. Each verification parses the header and
// verifies the Buffer body, as the guard does; the header is signed at start-up and stays within
// the default 300 s tolerance for the whole run.
import { fork } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SECRET } from './constants.mjs';

const SELF = fileURLToPath(import.meta.url);
const MiB = 2 ** 20;

async function measureInProcess(iterations, bytes) {
  const { verifySignature, generateSignatureHeader } = await import('nestjs-jambonz-auth');
  const { bodyOfSize } = await import('./bodies.mjs');
  if (typeof globalThis.gc !== 'function') throw new Error('bench/memory: run with node --expose-gc');
  const body = bodyOfSize(bytes).buffer;
  const header = generateSignatureHeader(body, SECRET);
  const fullGc = () => {
    for (let i = 0; i < 3; i++) globalThis.gc();
  };
  const snapshot = () => {
    fullGc();
    const m = process.memoryUsage();
    return { rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers };
  };
  let matched = 0;
  const spin = (n) => {
    for (let i = 0; i < n; i++) matched += verifySignature(body, header, SECRET).secretIndex === 0 ? 1 : 0;
  };
  const start = snapshot();
  spin(20_000);
  const before = snapshot();
  const t0 = performance.now();
  spin(iterations);
  const ms = performance.now() - t0;
  const after = snapshot();
  spin(iterations);
  const after2 = snapshot();
  if (matched !== 20_000 + 2 * iterations) throw new Error('bench/memory: a verification failed');
  return { iterations, bytes, ms, start, before, after, after2 };
}

/**
 * @returns { iterations, bytes, ms, start, before, after, after2 } (bytes of memory), measured in a child.
 */
export function runMemoryBench(iterations = 100_000, bytes = 4096) {
  return new Promise((resolve, reject) => {
    const child = fork(SELF, [String(iterations), String(bytes)], {
      execArgv: ['--expose-gc'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.once('message', (m) => (m.error ? reject(new Error(m.error)) : resolve(m)));
    child.once('exit', (code) => code !== 0 && reject(new Error(`bench/memory: child exited ${code}`)));
  });
}

/** Growth over the measured 100k and over the second 100k, and the verdict. */
export function judgeMemory(m, { heapSlackMiB = 1, rssSlackMiB = 4 } = {}) {
  const d = (a, b, k) => (b[k] - a[k]) / MiB;
  const heapGrowth = d(m.before, m.after, 'heapUsed');
  const heapGrowth2 = d(m.after, m.after2, 'heapUsed');
  const rssGrowth = d(m.before, m.after, 'rss');
  const rssGrowth2 = d(m.after, m.after2, 'rss');
  const pass = heapGrowth <= heapSlackMiB && heapGrowth2 <= heapSlackMiB && rssGrowth <= rssSlackMiB && rssGrowth2 <= rssSlackMiB;
  return { heapGrowth, heapGrowth2, rssGrowth, rssGrowth2, heapSlackMiB, rssSlackMiB, pass };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const iterations = Number(process.argv[2] ?? 100_000);
  const bytes = Number(process.argv[3] ?? 4096);
  try {
    const result = await measureInProcess(iterations, bytes);
    if (process.send) process.send(result);
    else console.log(JSON.stringify(result, null, 2));
  } catch (error) {
    if (process.send) process.send({ error: String(error?.stack ?? error) });
    else throw error;
  } finally {
    process.disconnect?.();
  }
}
