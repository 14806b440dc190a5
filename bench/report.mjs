// Formatting: the tables, the scaling analysis and the PASS/MISS list. Pure functions of the
// results; nothing here measures.
const MiB = 2 ** 20;

export const TARGETS = Object.freeze({
  verifyVsBare4k: 1.2,
  verifyVsBareLarge: 1.05,
  guardedRps: 0.95,
  /** |marginal ns/byte 64 KB→1 MB ÷ marginal ns/byte 4 KB→64 KB − 1| */
  linearMarginalSpread: 0.15,
});

/** A plain-text table; numbers right-aligned, text left-aligned. */
export function table(headers, rows) {
  const cells = [headers, ...rows].map((r) => r.map((c) => String(c ?? '')));
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  const numeric = headers.map((_, i) => rows.every((r) => /^[-+0-9.,×%x ]*$/.test(String(r[i] ?? '')) || r[i] === '-'));
  const line = (r) =>
    r
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

const fmtInt = (x) => Math.round(x).toLocaleString('en-US');
const fmtNs = (ns) =>
  ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : ns >= 1e3 ? `${(ns / 1e3).toFixed(2)} µs` : `${ns.toFixed(0)} ns`;
const fmtRatio = (r) => `${r.toFixed(3)}x`;
const mib = (b) => (b / MiB).toFixed(1);

export function formatMachine(m) {
  return [
    `machine: nproc ${m.nproc}, CPU "${m.cpu}", ${m.memory}; load average at start ${m.loadavg}`,
    `node ${m.node} (V8 ${m.v8}, OpenSSL ${m.openssl}); @nestjs/core ${m.nest}, express ${m.express}, fastify ${m.fastify}`,
    `tools: mitata ${m.mitata}, autocannon ${m.autocannon}; peers: @jambonz/sdk ${m.jambonzSdk}, @jambonz/node-client ${m.jambonzNodeClient}`,
    `global.gc: ${m.gcExposed ? 'exposed (--expose-gc)' : 'NOT exposed: run with node --expose-gc'}; measured source: ${m.source}`,
  ].join('\n');
}

export function formatBodies(bodies) {
  return table(
    ['size', 'bytes', 'from fixture', 'grown field'],
    bodies.map((b) => [b.label, b.bytes, b.source, b.grown]),
  );
}

const ROW_ORDER = ['ours', 'oursParsed', 'bare', 'sdk', 'nodeClient', 'sdkRaw', 'nodeClientRaw'];
const SHORT = {
  ours: 'ours verifySignature',
  oursParsed: 'ours verifyParsedSignature (pre-parsed header)',
  bare: 'bare createHmac floor',
  sdk: '@jambonz/sdk (parsed body)',
  nodeClient: '@jambonz/node-client (parsed body)',
  sdkRaw: '@jambonz/sdk (raw text: best case)',
  nodeClientRaw: '@jambonz/node-client (raw Buffer: best case)',
};

export function formatVerify(results) {
  const rows = [];
  for (const size of results) {
    const bare = size.timings.bare.ns;
    const ours = size.timings.ours.ns;
    for (const id of ROW_ORDER) {
      const t = size.timings[id];
      rows.push([
        size.label,
        SHORT[id],
        fmtNs(t.ns),
        fmtInt(1e9 / t.ns),
        (t.ns / size.bytes).toFixed(3),
        ((size.bytes / t.ns) * (1e9 / MiB)).toFixed(0),
        fmtRatio(t.ns / bare),
        id === 'ours' ? '-' : fmtRatio(ours / t.ns),
      ]);
    }
  }
  return table(['size', 'contender', 'time/op (p50)', 'ops/s', 'ns/byte', 'MiB/s', 'vs floor', 'ours ÷ this'], rows);
}

export function formatVerifyRatios(results) {
  const rows = results.map((s) => [
    s.label,
    fmtRatio(s.ratios.oursVsBare.median),
    `${s.ratios.oursVsBare.q1.toFixed(3)}–${s.ratios.oursVsBare.q3.toFixed(3)}`,
    fmtRatio(s.ratios.oursParsedVsBare.median),
    `${(100 * (1 - s.ratios.oursParsedVsOurs.median)).toFixed(0)}%`,
    fmtRatio(s.ratios.oursVsSdk.median),
    fmtRatio(s.ratios.oursVsNodeClient.median),
    fmtRatio(s.ratios.oursVsSdkRaw.median),
    fmtRatio(s.ratios.oursVsNodeClientRaw.median),
  ]);
  return [
    'side-by-side ratios (median over rounds of the within-round ratio; < 1 means ours is faster):',
    table(
      [
        'size',
        'ours/floor',
        'ours/floor IQR',
        'pre-parsed/floor',
        'parse share',
        'ours/sdk',
        'ours/node-client',
        'ours/sdk best',
        'ours/node-client best',
      ],
      rows,
    ),
    '(IQR: quartiles of the per-round ratios, a noise gauge; parse share: 1 - pre-parsed/ours, the share of',
    ' verifySignature spent parsing the header)',
  ].join('\n');
}

/** Weighted (relative-error) least squares fit of time = fixed + perByte * bytes. */
export function linearFit(points) {
  let sw = 0,
    sx = 0,
    sy = 0,
    sxx = 0,
    sxy = 0;
  for (const { x, y } of points) {
    const w = 1 / (y * y);
    sw += w;
    sx += w * x;
    sy += w * y;
    sxx += w * x * x;
    sxy += w * x * y;
  }
  const perByte = (sw * sxy - sx * sy) / (sw * sxx - sx * sx);
  const fixed = (sy - perByte * sx) / sw;
  const residuals = points.map(({ x, y }) => (y - (fixed + perByte * x)) / y);
  return { fixed, perByte, residuals, maxResidual: Math.max(...residuals.map(Math.abs)) };
}

export function scaling(results) {
  const of = (id) => {
    const points = results.map((s) => ({ x: s.bytes, y: s.timings[id].ns }));
    const fit = linearFit(points);
    const marginal = points.slice(1).map((p, i) => ({
      from: results[i].label,
      to: results[i + 1].label,
      nsPerByte: (p.y - points[i].y) / (p.x - points[i].x),
    }));
    return { points, fit, marginal };
  };
  return { ours: of('ours'), bare: of('bare'), sdk: of('sdk'), nodeClient: of('nodeClient') };
}

/** Relative change of the marginal cost per byte from 4 KB→64 KB to 64 KB→1 MB (0: perfectly linear). */
export function linearSpread(series) {
  const m = Object.fromEntries(series.marginal.map((x) => [`${x.from}-${x.to}`, x.nsPerByte]));
  const low = m['4 KB-64 KB'];
  const high = m['64 KB-1 MB'];
  return low && high ? high / low - 1 : undefined;
}

export function formatScaling(results, sc) {
  const rows = results.map((s, i) => [
    s.label,
    (s.timings.ours.ns / s.bytes).toFixed(3),
    (s.timings.bare.ns / s.bytes).toFixed(3),
    (s.timings.sdk.ns / s.bytes).toFixed(3),
    (s.timings.nodeClient.ns / s.bytes).toFixed(3),
    i === 0 ? '-' : sc.ours.marginal[i - 1].nsPerByte.toFixed(3),
    i === 0 ? '-' : sc.bare.marginal[i - 1].nsPerByte.toFixed(3),
    `${(100 * sc.ours.fit.residuals[i]).toFixed(1)}%`,
  ]);
  const fit = (name, f) =>
    `${name}: time ≈ ${fmtNs(f.fit.fixed)} + ${f.fit.perByte.toFixed(3)} ns/byte × bytes (max deviation from that line ${(100 * f.fit.maxResidual).toFixed(1)}%; ` +
    `marginal ns/byte 64 KB→1 MB vs 4 KB→64 KB: ${(100 * (linearSpread(f) ?? NaN)).toFixed(1)}%)`;
  return [
    '(marginal: extra time per extra byte between two sizes, which the fixed per-call cost does not affect; linear = constant marginal)',
    table(
      [
        'size',
        'ours ns/B',
        'floor ns/B',
        'sdk ns/B',
        'node-client ns/B',
        'ours marginal ns/B',
        'floor marginal ns/B',
        'ours vs line',
      ],
      rows,
    ),
    fit('ours ', sc.ours),
    fit('floor', sc.bare),
    fit('sdk  ', sc.sdk),
    fit('node-client', sc.nodeClient),
  ].join('\n');
}

export function formatMemory(m, verdict) {
  const row = (name, s) => [name, mib(s.rss), mib(s.heapUsed), mib(s.heapTotal), mib(s.external), mib(s.arrayBuffers)];
  return [
    `${m.iterations.toLocaleString('en-US')} verifySignature calls on the ${m.bytes} B body took ${m.ms.toFixed(0)} ms (${fmtNs((m.ms * 1e6) / m.iterations)}/op); each snapshot after a full gc():`,
    table(
      ['snapshot (MiB)', 'rss', 'heapUsed', 'heapTotal', 'external', 'arrayBuffers'],
      [
        row('process start', m.start),
        row('after 20k warm-up (before)', m.before),
        row(`after ${m.iterations / 1000}k (after)`, m.after),
        row(`after another ${m.iterations / 1000}k`, m.after2),
      ],
    ),
    `growth: rss ${verdict.rssGrowth.toFixed(2)} MiB then ${verdict.rssGrowth2.toFixed(2)} MiB; heapUsed ${verdict.heapGrowth.toFixed(3)} MiB then ${verdict.heapGrowth2.toFixed(3)} MiB`,
  ].join('\n');
}

/**
 * @param bareNs4k the bare HMAC's time over the same 4 KB body (verify bench): the least any
 *   signature check can add per request.
 */
export function formatHttp(results, bareNs4k) {
  const rows = [];
  for (const p of results) {
    for (const v of Object.values(p.variants)) {
      rows.push([
        p.platform,
        v.label,
        fmtInt(v.rps),
        v.p50.toFixed(2),
        v.p99.toFixed(2),
        v.cpuPerRequestUs.toFixed(1),
        `${(100 * v.serverCpuShare).toFixed(0)}%`,
        fmtInt(v.ok2xx),
        v.non2xx,
        v.errors,
        v.timeouts,
      ]);
    }
  }
  const ratioRows = results.map((p) => {
    const plainCpu = p.variants.plain.cpuPerRequestUs;
    return [
      p.platform,
      fmtRatio(p.ratios.guardedVsPlainRps.median),
      p.ratios.guardedVsPlainRps.perRound.map((x) => x.toFixed(2)).join(' '),
      fmtRatio(p.ratios.guardedVsPlainP99.median),
      fmtRatio(p.ratios.noopVsPlainRps.median),
      fmtRatio(p.ratios.plainVsGuardedCpu.median),
      fmtRatio(p.ratios.plainVsNoopCpu.median),
      (p.variants.guarded.cpuPerRequestUs - plainCpu).toFixed(1),
      (p.variants.noop.cpuPerRequestUs - plainCpu).toFixed(1),
      bareNs4k ? fmtRatio(plainCpu / (plainCpu + bareNs4k / 1000)) : '-',
    ];
  });
  const first = results[0];
  return [
    first
      ? `autocannon: ${first.connections} connections, ${first.duration} s per run, ${first.rounds} rounds, variants rotated each round; figures are medians over rounds.\n` +
        "server CPU: the Nest process's user+system CPU time per completed request, and its share of one core during the run."
      : '',
    table(
      [
        'platform',
        'route',
        'req/s',
        'p50 ms',
        'p99 ms',
        'server CPU µs/req',
        'server CPU',
        '2xx',
        'non-2xx',
        'errors',
        'timeouts',
      ],
      rows,
    ),
    '',
    table(
      [
        'platform',
        'guarded/plain req/s',
        'per round',
        'guarded/plain p99',
        'no-op/plain req/s',
        'CPU-bound guarded',
        'CPU-bound no-op',
        'guarded adds CPU µs/req',
        'no-op adds CPU µs/req',
        'HMAC-only bound',
      ],
      ratioRows,
    ),
    "(no-op: the same route with a no-op guard + no-op interceptor, i.e. what Nest's own guard and interceptor machinery costs;",
    " CPU-bound: plain CPU/request ÷ that route's CPU/request, the req/s ratio of a server with a core to itself;",
    ' HMAC-only bound: the best req/s ratio any guard that computes the HMAC of the 4 KB body could reach,',
    ' plain CPU ÷ (plain CPU + bare HMAC time from section 1))',
  ].join('\n');
}

export function formatGuard(g) {
  return [
    table(
      ['contender (4 KB body, in process)', 'time/op (p50)', 'vs floor'],
      [
        ['JambonzAuthGuard.canActivate (as bound by @JambonzWebhook)', fmtNs(g.timings.guard), fmtRatio(g.ratios.guardVsBare)],
        ['verifySignature alone', fmtNs(g.timings.verify), fmtRatio(g.ratios.verifyVsBare)],
        ['bare createHmac floor', fmtNs(g.timings.bare), '1.000x'],
      ],
    ),
    `the guard adds ${fmtNs(g.guardMinusVerifyNs)} per request to verifySignature (median of within-round differences); guard/verify ${fmtRatio(g.ratios.guardVsVerify)}`,
  ].join('\n');
}

export function formatReplay(r) {
  const per = (ns) => (r.floorNs ? `${(ns / r.floorNs).toFixed(2)}x` : '-');
  return [
    table(
      ['store', 'added per signed request', 'vs 4 KB HMAC floor', 'throughput'],
      [
        ['MemoryReplayStore (in process)', fmtNs(r.memoryNs), per(r.memoryNs), '-'],
        ['RedisReplayStore (loopback redis-server, 1 at a time)', fmtNs(r.redisNs), per(r.redisNs), '-'],
        [`RedisReplayStore (${r.inFlight} in flight, one client)`, '-', '-', `${fmtInt(r.redisThroughput)} req/s`],
      ],
    ),
    'claim (an atomic Lua script on Redis) before the handler, consume (SET PX) after it: two store operations per',
    'signed request; a Basic-only request does none. Over a network, add two round trips of your Redis.',
  ].join('\n');
}

export function evaluateTargets({ verify, http, memory, scalingResult }) {
  const list = [];
  const bySize = Object.fromEntries(verify.map((s) => [s.bytes, s]));
  const add = (name, value, target, pass, info = false) => list.push({ name, value, target, pass, info });
  if (bySize[4096])
    add(
      'verify ≤ 1.2x floor at 4 KB',
      fmtRatio(bySize[4096].ratios.oursVsBare.median),
      '≤ 1.200x',
      bySize[4096].ratios.oursVsBare.median <= TARGETS.verifyVsBare4k,
    );
  for (const bytes of [65536, 1048576]) {
    const s = bySize[bytes];
    if (s)
      add(
        `verify ≤ 1.05x floor at ${s.label}`,
        fmtRatio(s.ratios.oursVsBare.median),
        '≤ 1.050x',
        s.ratios.oursVsBare.median <= TARGETS.verifyVsBareLarge,
      );
  }
  for (const s of verify)
    add(`faster than @jambonz/sdk at ${s.label}`, fmtRatio(s.ratios.oursVsSdk.median), '< 1x', s.ratios.oursVsSdk.median < 1);
  for (const s of verify)
    add(
      `faster than @jambonz/node-client at ${s.label}`,
      fmtRatio(s.ratios.oursVsNodeClient.median),
      '< 1x',
      s.ratios.oursVsNodeClient.median < 1,
    );
  for (const p of http) {
    add(
      `guarded ≥ 0.95x req/s of unguarded, ${p.platform}`,
      fmtRatio(p.ratios.guardedVsPlainRps.median),
      '≥ 0.950x',
      p.ratios.guardedVsPlainRps.median >= TARGETS.guardedRps,
    );
    add(
      `(info) CPU-bound ratio ≥ 0.95x, ${p.platform} (plain CPU/request ÷ guarded CPU/request)`,
      fmtRatio(p.ratios.plainVsGuardedCpu.median),
      '≥ 0.950x',
      p.ratios.plainVsGuardedCpu.median >= TARGETS.guardedRps,
      true,
    );
    const non2xx = Object.values(p.variants).reduce((a, v) => a + v.non2xx + v.errors + v.timeouts, 0);
    add(`every HTTP response 200, ${p.platform} (non-2xx + errors + timeouts)`, String(non2xx), '0', non2xx === 0);
  }
  if (scalingResult) {
    const spread = linearSpread(scalingResult.ours);
    if (spread !== undefined) {
      add(
        'verify cost linear in size (marginal ns/byte 64 KB→1 MB vs 4 KB→64 KB)',
        `${spread >= 0 ? '+' : ''}${(100 * spread).toFixed(1)}%`,
        `within ±${100 * TARGETS.linearMarginalSpread}%`,
        Math.abs(spread) <= TARGETS.linearMarginalSpread,
      );
    }
  }
  if (memory) {
    const v = memory.verdict;
    add(
      'no memory growth over 100k verifications (rss; heapUsed)',
      `${v.rssGrowth.toFixed(2)} MiB; ${v.heapGrowth.toFixed(3)} MiB`,
      `≤ ${v.rssSlackMiB} MiB; ≤ ${v.heapSlackMiB} MiB`,
      v.pass,
    );
  }
  for (const s of verify) {
    add(
      `(info) faster than @jambonz/sdk given raw text at ${s.label}`,
      fmtRatio(s.ratios.oursVsSdkRaw.median),
      '< 1x',
      s.ratios.oursVsSdkRaw.median < 1,
      true,
    );
    add(
      `(info) faster than @jambonz/node-client given a raw Buffer at ${s.label}`,
      fmtRatio(s.ratios.oursVsNodeClientRaw.median),
      '< 1x',
      s.ratios.oursVsNodeClientRaw.median < 1,
      true,
    );
  }
  return list;
}

export function formatTargets(list) {
  const rows = list.map((t) => [t.pass ? 'PASS' : 'MISS', t.name, t.value, t.target]);
  const targets = list.filter((t) => !t.info);
  const missed = targets.filter((t) => !t.pass).length;
  return [
    table(['', 'target', 'measured', 'wanted'], rows),
    `${targets.length - missed} passed, ${missed} missed (info lines not counted)`,
  ].join('\n');
}
