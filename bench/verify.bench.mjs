// Verification cost, in process, with mitata's measure(): our verifySignature against the bare
// HMAC floor and against jambonz's own verifiers, for each body size.
//
// Side by side: every contender of a size is measured once per round (tens of milliseconds each),
// the order rotating from round to round, and each ratio is the median over rounds of the ratio
// within a round (measure.mjs). Samples are kept short and every measurement has at least 20.
import { createHmac } from 'node:crypto';
import { do_not_optimize } from 'mitata';
import { generateSignatureHeader, parseSignatureHeader, verifySignature } from 'nestjs-jambonz-auth';
import { SECRET } from './constants.mjs';
import { calibrate, median, medianNs, roundRatio } from './measure.mjs';
import { assertPeersWork, peerContenders } from './peers.mjs';

/** What is timed at one size: ours, the floor and the peers, each checked on the success path first. */
function contenders(body, header) {
  const t = parseSignatureHeader(header).timestampText;
  const bytes = body.buffer;
  if (verifySignature(bytes, header, SECRET).secretIndex !== 0) throw new Error('bench/verify: ours did not match');
  assertPeersWork(body, header, SECRET);
  return [
    { id: 'ours', fn: () => do_not_optimize(verifySignature(bytes, header, SECRET)) },
    { id: 'bare', fn: () => do_not_optimize(createHmac('sha256', SECRET).update(`${t}.`).update(bytes).digest()) },
    ...peerContenders(body, header, SECRET).map(({ id, fn }) => ({ id, fn: () => do_not_optimize(fn()) })),
  ];
}

/**
 * @param bodies from bodies.mjs.
 * @param options.rounds rounds per size (each measures every contender once).
 * @param options.minCpuMs minimum measured time per contender per round, in ms.
 * @returns per size: `{ label, bytes, ns: { ours, bare, sdk, nodeClient } (median of the rounds'
 *   p50), ratios: { oursVsBare, oursVsSdk, oursVsNodeClient } (roundRatio) }`.
 */
export async function runVerifyBench(bodies, { rounds, minCpuMs, log }) {
  const results = [];
  for (const body of bodies) {
    // Signed now: both peers compare t with the wall clock (300 s), as ours does by default.
    const list = contenders(body, generateSignatureHeader(body.buffer, SECRET));
    const options = {};
    for (const c of list) options[c.id] = await calibrate(c.fn, minCpuMs);
    const perRound = Object.fromEntries(list.map((c) => [c.id, []]));
    for (let round = 0; round < rounds; round++) {
      for (let i = 0; i < list.length; i++) {
        const c = list[(i + round) % list.length];
        perRound[c.id].push(await medianNs(c.fn, options[c.id]));
      }
      if ((round + 1) % 5 === 0 || round + 1 === rounds) log(`  verify ${body.label}: round ${round + 1}/${rounds}`);
    }
    results.push({
      label: body.label,
      bytes: body.bytes,
      ns: Object.fromEntries(list.map((c) => [c.id, median(perRound[c.id])])),
      ratios: {
        oursVsBare: roundRatio(perRound.ours, perRound.bare),
        oursVsSdk: roundRatio(perRound.ours, perRound.sdk),
        oursVsNodeClient: roundRatio(perRound.ours, perRound.nodeClient),
      },
    });
  }
  return results;
}
