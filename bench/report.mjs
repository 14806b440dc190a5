// The report's tables and the PASS/MISS list: pure functions of the results, nothing measures.

/** The promises the bench checks (BENCHMARKS.md, "Targets", says where each comes from). */
export const TARGETS = Object.freeze({
  /** ours ÷ the bare HMAC at 4 KB, at most. */
  verifyVsBare4k: 1.2,
  /** ours ÷ the bare HMAC from 64 KB up, at most. */
  verifyVsBareLarge: 1.05,
  /** |marginal ns/byte 64 KB→1 MB ÷ marginal ns/byte 4 KB→64 KB − 1|, at most. */
  linearMarginalSpread: 0.15,
  /** @JambonzWebhook() ÷ the floor route, per request (CPU time over HTTP, instructions under callgrind), at most. */
  guardedVsFloor: 1.05,
});

/** A plain-text table; numbers right-aligned, text left-aligned. */
export function table(headers, rows) {
  const cells = [headers, ...rows].map((r) => r.map((c) => String(c ?? '')));
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  const numeric = headers.map((_, i) => rows.every((r) => /^[-+0-9.,kx% ]*$/.test(String(r[i] ?? ''))));
  const line = (r) =>
    r
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

export const fmtInt = (x) => Math.round(x).toLocaleString('en-US');
export const fmtRatio = (r) => `${r.toFixed(3)}x`;
const fmtNs = (ns) =>
  ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : ns >= 1e3 ? `${(ns / 1e3).toFixed(2)} µs` : `${ns.toFixed(0)} ns`;
const fmtPercent = (x) => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)}%`;
const MiB = 2 ** 20;

export function formatBodies(bodies) {
  return table(
    ['size', 'bytes', 'from fixture', 'grown field'],
    bodies.map((b) => [b.label, b.bytes, b.source, b.grown]),
  );
}

export function formatVerify(verify) {
  return [
    table(
      ['size', 'ours', 'bare HMAC', '@jambonz/sdk', '@jambonz/node-client', 'ours/floor', 'IQR', 'ours/sdk', 'ours/node-client'],
      verify.map((s) => [
        s.label,
        fmtNs(s.ns.ours),
        fmtNs(s.ns.bare),
        fmtNs(s.ns.sdk),
        fmtNs(s.ns.nodeClient),
        fmtRatio(s.ratios.oursVsBare.median),
        `${s.ratios.oursVsBare.q1.toFixed(3)}–${s.ratios.oursVsBare.q3.toFixed(3)}`,
        fmtRatio(s.ratios.oursVsSdk.median),
        fmtRatio(s.ratios.oursVsNodeClient.median),
      ]),
    ),
    '(time per verification: median of the rounds; ratios: median of the within-round ratios, < 1 means ours is faster;',
    ' IQR: quartiles of ours/floor over the rounds, a noise gauge)',
  ].join('\n');
}

/** Marginal cost per byte between consecutive sizes, which the fixed per-call cost does not affect. */
export function scaling(verify) {
  const marginal = (id) =>
    verify.slice(1).map((s, i) => ({
      from: verify[i].label,
      to: s.label,
      nsPerByte: (s.ns[id] - verify[i].ns[id]) / (s.bytes - verify[i].bytes),
    }));
  const ours = marginal('ours');
  const at = (from, to) => ours.find((m) => m.from === from && m.to === to)?.nsPerByte;
  const low = at('4 KB', '64 KB');
  const high = at('64 KB', '1 MB');
  return { ours, bare: marginal('bare'), spread: low && high ? high / low - 1 : undefined };
}

export function formatScaling(sc) {
  return [
    table(
      ['between', 'ours marginal ns/byte', 'floor marginal ns/byte'],
      sc.ours.map((m, i) => [`${m.from} → ${m.to}`, m.nsPerByte.toFixed(3), sc.bare[i].nsPerByte.toFixed(3)]),
    ),
    `linear means a constant marginal cost: 64 KB→1 MB vs 4 KB→64 KB ${sc.spread === undefined ? 'n/a' : fmtPercent(sc.spread)}`,
  ].join('\n');
}

export function formatMemory(m, verdict) {
  const row = (name, s) => [name, (s.rss / MiB).toFixed(1), (s.heapUsed / MiB).toFixed(1)];
  return [
    `${m.iterations.toLocaleString('en-US')} verifySignature calls on the ${m.bytes} B body, each snapshot after a full gc():`,
    table(
      ['snapshot (MiB)', 'rss', 'heapUsed'],
      [
        row('after a 20k warm-up', m.before),
        row(`after ${m.iterations / 1000}k`, m.after),
        row(`after another ${m.iterations / 1000}k`, m.after2),
      ],
    ),
    `growth: rss ${verdict.rssGrowth.toFixed(2)} then ${verdict.rssGrowth2.toFixed(2)} MiB; heapUsed ${verdict.heapGrowth.toFixed(3)} then ${verdict.heapGrowth2.toFixed(3)} MiB`,
  ].join('\n');
}

export function formatReplay(r) {
  const rows = [['MemoryReplayStore (in process)', fmtNs(r.memoryNs), '-']];
  if (r.redis.skipped) rows.push(['RedisReplayStore', `skipped: ${r.redis.skipped}`, '-']);
  else
    rows.push([
      `RedisReplayStore (loopback redis-server; ${r.inFlight} in flight for the throughput)`,
      fmtNs(r.redis.ns),
      `${fmtInt(r.redis.throughput)} req/s`,
    ]);
  return [
    table(['store', 'added per signed request', 'throughput, one client'], rows),
    'two store operations per signed request (claim before the handler, consume after it); a Basic-only request does',
    'none. Over a network, add two round trips to your Redis.',
  ].join('\n');
}

export function formatHttp(http, { connections, duration, slices, rounds }) {
  const rows = http.flatMap((p) =>
    Object.entries(p.variants).map(([route, v]) => [
      p.platform,
      route,
      fmtInt(v.rps),
      v.p99.toFixed(1),
      v.cpuPerRequestUs.toFixed(1),
      v.failed,
    ]),
  );
  return [
    `autocannon: ${connections} keep-alive connections; ${rounds} rounds, each route ${duration} s per round in ${slices} slices, the order rotated`,
    'each round and mirrored each slice; medians over rounds.',
    table(['platform', 'route', 'req/s', 'p99 ms', 'server CPU µs/request', 'not 2xx'], rows),
    '',
    table(
      ['platform', 'guarded/floor CPU per request', 'per round', 'target', 'verdict'],
      http.map((p) => [
        p.platform,
        fmtRatio(p.guardedVsFloorCpu.median),
        p.guardedVsFloorCpu.perRound.map((x) => x.toFixed(3)).join(' '),
        `≤ ${fmtRatio(TARGETS.guardedVsFloor)}`,
        p.guardedVsFloorCpu.median <= TARGETS.guardedVsFloor ? 'PASS' : 'MISS',
      ]),
    ),
    "(server CPU: the Nest process's user + system time per completed request; for a CPU-bound server,",
    ' guarded/floor CPU per request is floor/guarded req/s)',
  ].join('\n');
}

export function evaluateTargets({ verify, sc, memory, http }) {
  const list = [];
  const add = (name, value, wanted, pass) => list.push({ name, value, wanted, pass });
  for (const s of verify) {
    const limit = s.bytes === 4096 ? TARGETS.verifyVsBare4k : s.bytes >= 65536 ? TARGETS.verifyVsBareLarge : undefined;
    const r = s.ratios.oursVsBare.median;
    if (limit) add(`verify ≤ ${limit}x the bare HMAC at ${s.label}`, fmtRatio(r), `≤ ${fmtRatio(limit)}`, r <= limit);
  }
  for (const [id, name] of [
    ['oursVsSdk', '@jambonz/sdk'],
    ['oursVsNodeClient', '@jambonz/node-client'],
  ]) {
    for (const s of verify) {
      const r = s.ratios[id].median;
      add(`faster than ${name} at ${s.label}`, fmtRatio(r), '< 1x', r < 1);
    }
  }
  if (sc.spread !== undefined) {
    const limit = TARGETS.linearMarginalSpread;
    add(
      'verify cost linear in size (marginal ns/byte 64 KB→1 MB vs 4 KB→64 KB)',
      fmtPercent(sc.spread),
      `within ±${100 * limit}%`,
      Math.abs(sc.spread) <= limit,
    );
  }
  const v = memory.verdict;
  add(
    `no memory growth over ${memory.iterations / 1000}k verifications (rss; heapUsed)`,
    `${v.rssGrowth.toFixed(2)} MiB; ${v.heapGrowth.toFixed(3)} MiB`,
    `≤ ${v.rssSlackMiB} MiB; ≤ ${v.heapSlackMiB} MiB`,
    v.pass,
  );
  for (const p of http) {
    const r = p.guardedVsFloorCpu.median;
    add(
      `@JambonzWebhook() ≤ 1.05x the floor route, CPU per request, ${p.platform}`,
      fmtRatio(r),
      `≤ ${fmtRatio(TARGETS.guardedVsFloor)}`,
      r <= TARGETS.guardedVsFloor,
    );
    const failed = Object.values(p.variants).reduce((a, x) => a + x.failed, 0);
    add(`every HTTP response 2xx, ${p.platform}`, String(failed), '0', failed === 0);
  }
  return list;
}

export function formatTargets(list) {
  const missed = list.filter((t) => !t.pass).length;
  return [
    table(
      ['', 'target', 'measured', 'wanted'],
      list.map((t) => [t.pass ? 'PASS' : 'MISS', t.name, t.value, t.wanted]),
    ),
    `${list.length - missed} passed, ${missed} missed`,
  ].join('\n');
}
