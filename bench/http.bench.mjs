// HTTP overhead of @JambonzWebhook(): the same Nest route with and without it, on Express and on
// Fastify, loaded with autocannon (in this process) while the app runs in a child process, so
// that the load generator and the server each get one of the two cores.
//
// Variants are alternated round by round (the order rotating: P G N, G N P, N P G, ...) and each
// figure is the median over rounds; each ratio is the median of the within-round ratios.
// Besides req/s and latency, the server's own CPU time per request is read around each run
// (process.cpuUsage in the server, over IPC): on a shared machine it is much steadier than
// req/s, and when the server is CPU-bound, plain/guarded CPU per request is the req/s ratio that
// a quiet machine would show.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { generateSignatureHeader } from 'nestjs-jambonz-auth';
import { FIXED_T, ROUTES } from './constants.mjs';

const SERVER = fileURLToPath(new URL('./http.server.mjs', import.meta.url));
const VARIANTS = Object.freeze([
  { id: 'plain', label: 'no guard (baseline)', route: ROUTES.plain },
  { id: 'guarded', label: '@JambonzWebhook()', route: ROUTES.guarded },
  { id: 'noop', label: 'no-op guard + no-op interceptor', route: ROUTES.noop },
]);

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function startChild(platform, secret) {
  return new Promise((resolve, reject) => {
    const child = fork(SERVER, [platform], {
      env: { ...process.env, BENCH_SECRET: secret },
      execArgv: [],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const timer = setTimeout(() => reject(new Error(`bench/http: the ${platform} server did not start in 30 s`)), 30_000);
    child.once('message', ({ port }) => {
      clearTimeout(timer);
      resolve({ child, port });
    });
    child.once('exit', (code) => reject(new Error(`bench/http: the ${platform} server exited with ${code}`)));
  });
}

function cpuOf(child) {
  return new Promise((resolve) => {
    const onMessage = (message) => {
      if (message && message.cpu) {
        child.off('message', onMessage);
        resolve(message.cpu.user + message.cpu.system);
      }
    };
    child.on('message', onMessage);
    child.send('cpu');
  });
}

function stopChild(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Each route answers the genuine request 200 with the verbs, and the guard refuses a forgery. */
async function sanityCheck(base, body, header) {
  const post = (route, signature) =>
    fetch(base + route, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'jambonz-signature': signature },
      body: body.text,
    });
  for (const { route } of VARIANTS) {
    const res = await post(route, header);
    const json = await res.json();
    if (res.status !== 200 || !Array.isArray(json) || json.length !== 2) {
      throw new Error(`bench/http: ${route} answered ${res.status} ${JSON.stringify(json)} to a genuine request`);
    }
  }
  const forged = header.replace(/v1=(.)/, (_, c) => `v1=${c === '0' ? '1' : '0'}`);
  const refused = await post(ROUTES.guarded, forged);
  await refused.arrayBuffer();
  if (refused.status !== 401) throw new Error(`bench/http: the guarded route answered ${refused.status} to a forged signature`);
}

async function load(child, base, route, body, header, { connections, duration }) {
  const cpuBefore = await cpuOf(child);
  const result = await autocannon({
    url: base + route,
    method: 'POST',
    connections,
    duration,
    headers: { 'content-type': 'application/json', 'jambonz-signature': header },
    body: body.text,
  });
  const cpuMicros = (await cpuOf(child)) - cpuBefore;
  return {
    cpuPerRequestUs: cpuMicros / Math.max(1, result.requests.total),
    serverCpuShare: cpuMicros / 1e6 / duration,
    rps: result.requests.average,
    total: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    ok2xx: result['2xx'],
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, { count }]) => [code, count])),
  };
}

/**
 * @param body a body from bodies.mjs (4 KB).
 * @param options.platforms e.g. ['express', 'fastify']; rounds, duration (s), warmup (s), connections.
 * @returns per platform: { platform, variants: { id: { label, rps, p50, p99, non2xx, errors, timeouts, perRound } }, ratios }.
 */
export async function runHttpBench(
  body,
  secret,
  { platforms = ['express', 'fastify'], rounds = 4, duration = 4, warmup = 2, connections = 32, log = () => {} } = {},
) {
  const header = generateSignatureHeader(body.buffer, secret, { timestamp: FIXED_T });
  const results = [];
  for (const platform of platforms) {
    const { child, port } = await startChild(platform, secret);
    try {
      const base = `http://127.0.0.1:${port}`;
      await sanityCheck(base, body, header);
      for (const v of VARIANTS) await load(child, base, v.route, body, header, { connections, duration: warmup });
      const perRound = Object.fromEntries(VARIANTS.map((v) => [v.id, []]));
      for (let round = 0; round < rounds; round++) {
        const order = VARIANTS.map((_, i) => VARIANTS[(i + round) % VARIANTS.length]);
        for (const v of order) perRound[v.id].push(await load(child, base, v.route, body, header, { connections, duration }));
        log(`  http ${platform}: round ${round + 1}/${rounds} (${order.map((v) => v.id).join(' ')})`);
      }
      const variants = Object.fromEntries(
        VARIANTS.map((v) => {
          const runs = perRound[v.id];
          const sum = (k) => runs.reduce((a, r) => a + r[k], 0);
          return [
            v.id,
            {
              label: v.label,
              route: v.route,
              rps: median(runs.map((r) => r.rps)),
              p50: median(runs.map((r) => r.p50)),
              p99: median(runs.map((r) => r.p99)),
              cpuPerRequestUs: median(runs.map((r) => r.cpuPerRequestUs)),
              serverCpuShare: median(runs.map((r) => r.serverCpuShare)),
              non2xx: sum('non2xx'),
              errors: sum('errors'),
              timeouts: sum('timeouts'),
              ok2xx: sum('ok2xx'),
              perRound: runs,
            },
          ];
        }),
      );
      const ratio = (a, b, k) => {
        const each = perRound[a].map((r, i) => r[k] / perRound[b][i][k]);
        return { median: median(each), perRound: each };
      };
      const ratios = {
        guardedVsPlainRps: ratio('guarded', 'plain', 'rps'),
        guardedVsPlainP99: ratio('guarded', 'plain', 'p99'),
        // plain CPU/request over guarded CPU/request: the req/s ratio of a CPU-bound server.
        plainVsGuardedCpu: ratio('plain', 'guarded', 'cpuPerRequestUs'),
        plainVsNoopCpu: ratio('plain', 'noop', 'cpuPerRequestUs'),
        noopVsPlainRps: ratio('noop', 'plain', 'rps'),
        guardedVsNoopRps: ratio('guarded', 'noop', 'rps'),
      };
      results.push({ platform, connections, duration, rounds, variants, ratios });
    } finally {
      await stopChild(child);
    }
  }
  return results;
}
