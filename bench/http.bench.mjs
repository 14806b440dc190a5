// HTTP cost of @JambonzWebhook(): the three routes of http.server.mjs (plain, floor, guarded),
// on Express and on Fastify, loaded with autocannon (in this process, keep-alive connections)
// while the app runs in a child process, so that the load generator and the server each get
// one of the two cores.
//
// The routes take turns in an order that rotates every round, and each ratio is the median of
// the within-round ratios. Within a round each route runs in slices of about a second, the order
// mirrored slice by slice (A B C, C B A, ...): on a shared machine a burst of other work lasts
// seconds, and with whole 4 s runs it fell on one route of a round and swung that round's ratio
// by a third; sliced, it falls on every route alike. The figure judged is the server's own CPU time per request (read
// around each run with process.cpuUsage in the server, over IPC): on a shared machine it is
// much steadier than req/s, and for a CPU-bound server guarded/floor CPU per request is the
// floor/guarded req/s ratio that a quiet machine would show.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { generateSignatureHeader } from 'nestjs-jambonz-auth';
import { FIXED_T, ROUTES, SECRET } from './constants.mjs';
import { checkRoutes } from './http.server.mjs';
import { median, roundRatio } from './measure.mjs';

const SERVER = fileURLToPath(new URL('./http.server.mjs', import.meta.url));
const VARIANTS = Object.keys(ROUTES);

function startChild(platform) {
  return new Promise((resolve, reject) => {
    const child = fork(SERVER, [platform], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const timer = setTimeout(() => reject(new Error(`bench/http: the ${platform} server did not start in 30 s`)), 30_000);
    child.once('message', ({ port }) => {
      clearTimeout(timer);
      resolve({ child, base: `http://127.0.0.1:${port}` });
    });
    child.once('exit', (code) => reject(new Error(`bench/http: the ${platform} server exited with ${code}`)));
  });
}

function stopChild(child) {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** The server's user + system CPU time so far, in µs. */
function cpuOf(child) {
  return new Promise((resolve) => {
    const onMessage = (message) => {
      if (!message?.cpu) return;
      child.off('message', onMessage);
      resolve(message.cpu.user + message.cpu.system);
    };
    child.on('message', onMessage);
    child.send('cpu');
  });
}

async function load(child, url, body, header, { connections, duration }) {
  const cpuBefore = await cpuOf(child);
  const result = await autocannon({
    url,
    method: 'POST',
    connections,
    duration,
    headers: { 'content-type': 'application/json', 'jambonz-signature': header },
    body: body.text,
  });
  return {
    cpuMicros: (await cpuOf(child)) - cpuBefore,
    requests: result.requests.total,
    rps: result.requests.average,
    p99: result.latency.p99,
    failed: result.non2xx + result.errors + result.timeouts,
  };
}

/**
 * One round: every route for `duration` seconds in all, in `slices` runs each, the order mirrored
 * from one slice to the next.
 * @returns per route: `{ cpuPerRequestUs, rps, p99, failed }` over the round (rps and p99: the
 *   median of its slices).
 */
async function runRound(child, base, body, header, order, { connections, duration, slices }) {
  const slicesOf = Object.fromEntries(order.map((v) => [v, []]));
  for (let slice = 0; slice < slices; slice++) {
    for (const v of slice % 2 === 0 ? order : [...order].reverse()) {
      slicesOf[v].push(await load(child, base + ROUTES[v], body, header, { connections, duration: duration / slices }));
    }
  }
  const sum = (runs, key) => runs.reduce((total, run) => total + run[key], 0);
  return Object.fromEntries(
    order.map((v) => {
      const runs = slicesOf[v];
      return [
        v,
        {
          cpuPerRequestUs: sum(runs, 'cpuMicros') / Math.max(1, sum(runs, 'requests')),
          rps: median(runs.map((run) => run.rps)),
          p99: median(runs.map((run) => run.p99)),
          failed: sum(runs, 'failed'),
        },
      ];
    }),
  );
}

/**
 * @param body the 4 KB body from bodies.mjs.
 * @param options rounds, duration (s per route and round), slices (runs per route and round),
 *   warmup (s per route), connections, platforms.
 * @returns per platform: `{ platform, variants: { plain|floor|guarded: { rps, p99, cpuPerRequestUs,
 *   failed } } (medians over rounds; failed: non-2xx + errors + timeouts, summed), guardedVsFloorCpu }`.
 */
export async function runHttpBench(body, { platforms, rounds, duration, slices = 1, warmup = 2, connections, log }) {
  const header = generateSignatureHeader(body.buffer, SECRET, { timestamp: FIXED_T });
  const results = [];
  for (const platform of platforms) {
    const { child, base } = await startChild(platform);
    try {
      await checkRoutes(base, body, header);
      for (const v of VARIANTS) await load(child, base + ROUTES[v], body, header, { connections, duration: warmup });
      const runs = Object.fromEntries(VARIANTS.map((v) => [v, []]));
      for (let round = 0; round < rounds; round++) {
        const order = VARIANTS.map((_, i) => VARIANTS[(i + round) % VARIANTS.length]);
        const measured = await runRound(child, base, body, header, order, { connections, duration, slices });
        for (const v of VARIANTS) runs[v].push(measured[v]);
        log(`  http ${platform}: round ${round + 1}/${rounds} (${order.join(' ')})`);
      }
      const of = (v, key) => runs[v].map((r) => r[key]);
      const variants = Object.fromEntries(
        VARIANTS.map((v) => [
          v,
          {
            rps: median(of(v, 'rps')),
            p99: median(of(v, 'p99')),
            cpuPerRequestUs: median(of(v, 'cpuPerRequestUs')),
            failed: of(v, 'failed').reduce((a, b) => a + b, 0),
          },
        ]),
      );
      const guardedVsFloorCpu = roundRatio(of('guarded', 'cpuPerRequestUs'), of('floor', 'cpuPerRequestUs'));
      results.push({ platform, variants, guardedVsFloorCpu });
    } finally {
      await stopChild(child);
    }
  }
  return results;
}
