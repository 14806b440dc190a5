// CPU profile of one verification loop, summarised: where the time of verifySignature goes.
//
//   node bench/profile.mjs [bytes=4096] [seconds=4] [contender=ours]
//
// Runs the loop in a child under `node --cpu-prof` (profile written to a temporary folder,
// deleted afterwards), then prints self and inclusive time per function. contender is `ours`
// (verifySignature, header parsed each call), `oursParsed` (verifyParsedSignature) or `bare`
// (the createHmac floor). index.mjs calls profileVerify() when a verify target is missed.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SECRET } from './constants.mjs';
import { loadPackage } from './package.mjs';

const SELF = fileURLToPath(import.meta.url);

async function loop(bytes, seconds, contender) {
  const { createHmac } = await import('node:crypto');
  const { bodyOfSize } = await import('./bodies.mjs');
  const { generateSignatureHeader, parseSignatureHeader, verifyParsedSignature, verifySignature } = await loadPackage();
  const body = bodyOfSize(bytes).buffer;
  const header = generateSignatureHeader(body, SECRET);
  const parsed = parseSignatureHeader(header);
  const run = {
    ours: () => verifySignature(body, header, SECRET),
    oursParsed: () => verifyParsedSignature(body, parsed, SECRET),
    bare: () => createHmac('sha256', SECRET).update(`${parsed.timestampText}.`).update(body).digest(),
  }[contender];
  if (!run) throw new Error(`bench/profile: unknown contender ${contender}`);
  for (let i = 0; i < 2000; i++) run(); // warm-up, before the profiled window
  const { n, ok } = spin(run, seconds);
  process.stdout.write(JSON.stringify({ iterations: n, ok }));
}

/** The profiled loop; the summary keeps only the samples taken while it runs. */
function spin(run, seconds) {
  const end = performance.now() + seconds * 1000;
  let n = 0;
  let sink;
  while (performance.now() < end) {
    for (let i = 0; i < 256; i++) sink = run();
    n += 256;
  }
  return { n, ok: sink !== undefined };
}

function location(frame) {
  if (!frame.url) return '';
  return `${basename(frame.url)}:${frame.lineNumber + 1}`;
}

/**
 * Self and inclusive time per function, from a .cpuprofile. With `window`, only the samples
 * between the first and the last sample inside a function of that name count (start-up and
 * module loading drop out; GC during the loop stays in).
 */
export function summariseProfile(profile, top = 14, window = 'spin') {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inWindowFn = (id) => {
    for (let at = id; at !== undefined; at = parent.get(at)) if (byId.get(at).callFrame.functionName === window) return true;
    return false;
  };
  let first = 0;
  let last = profile.samples.length - 1;
  if (window) {
    first = profile.samples.findIndex(inWindowFn);
    while (last > first && !inWindowFn(profile.samples[last])) last--;
    if (first < 0) {
      first = 0;
      last = profile.samples.length - 1;
    }
  }
  const self = new Map();
  for (let i = first; i <= last; i++) {
    const id = profile.samples[i];
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const key = (n) => `${n.callFrame.functionName || '(anonymous)'} ${location(n.callFrame)}`.trim();
  const selfBy = new Map();
  const inclBy = new Map();
  const inclusive = (node, onPath) => {
    let sum = self.get(node.id) ?? 0;
    const k = key(node);
    const first = !onPath.has(k);
    onPath.add(k);
    for (const child of node.children ?? []) sum += inclusive(byId.get(child), onPath);
    if (first) {
      onPath.delete(k);
      inclBy.set(k, (inclBy.get(k) ?? 0) + sum);
    }
    selfBy.set(k, (selfBy.get(k) ?? 0) + (self.get(node.id) ?? 0));
    return sum;
  };
  inclusive(profile.nodes[0], new Set());
  const pct = (x) => (100 * x) / total;
  const rows = [...selfBy.entries()]
    .map(([name, us]) => ({ name, selfPct: pct(us), inclusivePct: pct(inclBy.get(name) ?? us) }))
    .sort((a, b) => b.selfPct - a.selfPct)
    .slice(0, top);
  const inclusiveOf = (pattern) =>
    [...inclBy.entries()].filter(([name]) => pattern.test(name)).reduce((best, [, us]) => Math.max(best, pct(us)), 0);
  return { totalMs: total / 1000, rows, inclusiveOf };
}

/**
 * @returns { iterations, nsPerOp, summary } of a `seconds`-long profiled loop.
 */
export async function profileVerify(bytes = 4096, seconds = 4, contender = 'ours') {
  const dir = mkdtempSync(join(tmpdir(), 'jambonz-bench-prof-'));
  try {
    const out = await new Promise((resolve, reject) => {
      const child = spawn(
        process.execPath,
        ['--cpu-prof', `--cpu-prof-dir=${dir}`, SELF, '--loop', String(bytes), String(seconds), contender],
        {
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      let text = '';
      child.stdout.on('data', (d) => (text += d));
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`bench/profile: child exited ${code}`))));
    });
    const { iterations } = JSON.parse(out);
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    const summary = summariseProfile(JSON.parse(readFileSync(join(dir, file), 'utf8')));
    return { bytes, contender, iterations, nsPerOp: (seconds * 1e9) / iterations, summary };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatProfile({ bytes, contender, iterations, nsPerOp, summary }) {
  const lines = [
    `cpu profile: ${contender} at ${bytes} B, ${iterations} iterations, ~${Math.round(nsPerOp)} ns/op (profiler on), ${summary.totalMs.toFixed(0)} ms sampled in the loop`,
    '  self%  incl%  function',
  ];
  for (const r of summary.rows)
    lines.push(`  ${r.selfPct.toFixed(1).padStart(5)}  ${r.inclusivePct.toFixed(1).padStart(5)}  ${r.name}`);
  return lines.join('\n');
}

if (process.argv[1] === SELF) {
  if (process.argv[2] === '--loop') {
    await loop(Number(process.argv[3]), Number(process.argv[4]), process.argv[5]);
  } else {
    const [bytes = '4096', seconds = '4', contender = 'ours'] = process.argv.slice(2);
    console.log(formatProfile(await profileVerify(Number(bytes), Number(seconds), contender)));
  }
}
