// Verification cost, in process, with mitata's measure(): our verifySignature against the bare
// HMAC floor and against jambonz's own verifiers, for each body size.
//
// Side by side: every contender of a size is measured once per round (tens of milliseconds each),
// the order rotating from round to round, and each ratio is the median over rounds of the ratio
// within a round. A burst of noise from other processes on the shared cores then hits
// contenders measured a few hundred milliseconds apart, and the median drops the rounds it hit.
// Samples are kept short (measure.mjs) and every measurement has at least 20 of them.
import { createHmac } from 'node:crypto';
import { do_not_optimize } from 'mitata';
import { generateSignatureHeader, parseSignatureHeader, verifyParsedSignature, verifySignature } from 'nestjs-jambonz-auth';
import { SECRET } from './constants.mjs';
import { calibrate, medianNs } from './measure.mjs';
import { assertPeersWork, peerContenders } from './peers.mjs';

export { SECRET };

/** Contenders measured at every size; `target` ones enter the PASS/MISS list, the rest explain. */
function contenders(body, header) {
  const parsed = parseSignatureHeader(header);
  const t = parsed.timestampText;
  const bytes = body.buffer;
  const ours = [
    {
      id: 'ours',
      label: 'ours: verifySignature(Buffer, header string, secret)',
      fn: () => do_not_optimize(verifySignature(bytes, header, SECRET)),
    },
    {
      id: 'oursParsed',
      label: 'ours: verifyParsedSignature (header parsed once, outside the loop)',
      fn: () => do_not_optimize(verifyParsedSignature(bytes, parsed, SECRET)),
    },
    {
      id: 'bare',
      label: "floor: createHmac('sha256', secret).update(`${t}.`).update(body).digest()",
      fn: () => do_not_optimize(createHmac('sha256', SECRET).update(`${t}.`).update(bytes).digest()),
    },
  ];
  const peers = peerContenders(body, header, SECRET).map((p) => ({
    ...p,
    fn: (
      (call) => () =>
        do_not_optimize(call())
    )(p.fn),
  }));
  return [...ours, ...peers];
}

/** Checks that each contender's timed path is the success path before any timing. */
function assertAllValid(body, header) {
  const parsed = parseSignatureHeader(header);
  const ours = verifySignature(body.buffer, header, SECRET);
  if (ours.secretIndex !== 0) throw new Error('bench/verify: ours did not match');
  const floor = createHmac('sha256', SECRET).update(`${parsed.timestampText}.`).update(body.buffer).digest();
  if (!floor.equals(parsed.signatures[0])) throw new Error('bench/verify: the bare HMAC differs from the header');
  assertPeersWork(body, header, SECRET);
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * @param bodies from bodies.mjs.
 * @param options.rounds rounds per size (each measures every contender once).
 * @param options.minCpuMs minimum measured time per contender per round, in ms.
 * @returns per size: { label, bytes, timings: { id: { label, ns (median of per-round p50), perRound } },
 *   ratios: { name: { median, q1, q3, perRound } } }.
 */
export async function runVerifyBench(bodies, { rounds = 15, minCpuMs = 40, log = () => {} } = {}) {
  const results = [];
  for (const body of bodies) {
    // Signed now: both peers compare t with the wall clock (300 s), as ours does by default.
    const header = generateSignatureHeader(body.buffer, SECRET);
    assertAllValid(body, header);
    const list = contenders(body, header);
    const options = {};
    for (const c of list) options[c.id] = await calibrate(c.fn, minCpuMs);
    const perRound = Object.fromEntries(list.map((c) => [c.id, []]));
    for (let round = 0; round < rounds; round++) {
      const order = list.map((_, i) => list[(i + round) % list.length]);
      for (const c of order) {
        perRound[c.id].push(await medianNs(c.fn, options[c.id]));
      }
      if ((round + 1) % 5 === 0 || round + 1 === rounds) log(`  verify ${body.label}: round ${round + 1}/${rounds}`);
    }
    const timings = Object.fromEntries(
      list.map((c) => [c.id, { label: c.label, ns: median(perRound[c.id]), perRound: perRound[c.id] }]),
    );
    const ratio = (a, b) => {
      const each = perRound[a].map((x, i) => x / perRound[b][i]);
      const sorted = [...each].sort((x, y) => x - y);
      const q = (f) => sorted[Math.round(f * (sorted.length - 1))];
      return { median: median(each), q1: q(0.25), q3: q(0.75), perRound: each };
    };
    const ratios = {
      oursVsBare: ratio('ours', 'bare'),
      oursParsedVsBare: ratio('oursParsed', 'bare'),
      oursParsedVsOurs: ratio('oursParsed', 'ours'),
      oursVsSdk: ratio('ours', 'sdk'),
      oursVsNodeClient: ratio('ours', 'nodeClient'),
      oursVsSdkRaw: ratio('ours', 'sdkRaw'),
      oursVsNodeClientRaw: ratio('ours', 'nodeClientRaw'),
    };
    results.push({ label: body.label, bytes: body.bytes, source: body.source, grown: body.grown, timings, ratios });
  }
  return results;
}
