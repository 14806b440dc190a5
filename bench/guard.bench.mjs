// The guard in process, without HTTP: JambonzAuthGuard.canActivate on the same route and
// module options as the HTTP bench, against verifySignature alone and the bare HMAC, over the
// 4 KB body. What the guard adds on top of the verification (policy lookup, async steps, body
// source, context) shows here free of the network's and the framework's noise.
//
// The request is prepared as Nest hands it over after the body parser of an app created with
// { rawBody: true }: parsed body, rawBody Buffer, lower-cased headers. canActivate stores its
// result on the request, so every call gets a fresh shallow copy (the copy is timed in every
// contender, to keep the comparison fair).
import { createHmac } from 'node:crypto';
import { do_not_optimize } from 'mitata';
import { NestFactory } from '@nestjs/core';
import { generateSignatureHeader, JambonzAuthGuard, verifySignature } from 'nestjs-jambonz-auth';
import { FIXED_T, SECRET } from './constants.mjs';
import { calibrate, medianNs } from './measure.mjs';
import { BenchController, createAppModule } from './http.server.mjs';

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * @returns { timings: { guard, verify, bare } (ns, median of per-round p50), guardMinusVerifyNs, ratios }.
 */
export async function runGuardBench(body, { rounds = 9, minCpuMs = 40, log = () => {} } = {}) {
  const app = await NestFactory.createApplicationContext(createAppModule(SECRET), { logger: false });
  try {
    const guard = app.get(JambonzAuthGuard);
    const header = generateSignatureHeader(body.buffer, SECRET, { timestamp: FIXED_T });
    const template = {
      method: 'POST',
      url: '/bench/guarded',
      originalUrl: '/bench/guarded',
      headers: {
        host: '127.0.0.1',
        'content-type': 'application/json',
        'content-length': String(body.bytes),
        'jambonz-signature': header,
      },
      body: body.parsed,
      rawBody: body.buffer,
    };
    const handler = BenchController.prototype.guarded;
    const response = { statusCode: 200, setHeader() {}, getHeader() {} };
    const contextFor = (request) => ({
      switchToHttp: () => ({ getRequest: () => request, getResponse: () => response, getNext: () => undefined }),
      getHandler: () => handler,
      getClass: () => BenchController,
      getType: () => 'http',
      getArgs: () => [request, response],
    });
    const t = String(FIXED_T);
    const contenders = {
      guard: async () => do_not_optimize(await guard.canActivate(contextFor({ ...template }))),
      verify: async () => do_not_optimize(verifySignature({ ...template }.rawBody, header, SECRET, { now: FIXED_T })),
      bare: async () =>
        do_not_optimize(
          createHmac('sha256', SECRET)
            .update(`${t}.`)
            .update({ ...template }.rawBody)
            .digest(),
        ),
    };
    if ((await guard.canActivate(contextFor({ ...template }))) !== true)
      throw new Error('bench/guard: the guard refused a genuine request');
    const ids = Object.keys(contenders);
    const perRound = Object.fromEntries(ids.map((id) => [id, []]));
    const options = {};
    for (const id of ids) options[id] = await calibrate(contenders[id], minCpuMs);
    for (let round = 0; round < rounds; round++) {
      for (let i = 0; i < ids.length; i++) {
        const id = ids[(i + round) % ids.length];
        perRound[id].push(await medianNs(contenders[id], options[id]));
      }
    }
    log(`  guard: ${rounds} rounds done`);
    const timings = Object.fromEntries(ids.map((id) => [id, median(perRound[id])]));
    const ratio = (a, b) => median(perRound[a].map((x, i) => x / perRound[b][i]));
    return {
      bytes: body.bytes,
      timings,
      guardMinusVerifyNs: median(perRound.guard.map((x, i) => x - perRound.verify[i])),
      ratios: {
        guardVsVerify: ratio('guard', 'verify'),
        guardVsBare: ratio('guard', 'bare'),
        verifyVsBare: ratio('verify', 'bare'),
      },
    };
  } finally {
    await app.close();
  }
}
