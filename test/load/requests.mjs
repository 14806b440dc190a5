// The request kinds of the load test: what is sent to the sample app and what it must answer.
//
// Signatures are computed here with node:crypto, independently of the package under test, and the
// signer is checked against test/fixtures/jambonz-webhooks/vectors.json before any load is sent.
import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';

const FIXTURES = new URL('../fixtures/jambonz-webhooks/', import.meta.url);

/** The 401 body the module sends, whatever the reason (JAMBONZ_UNAUTHORIZED_MESSAGE); key order aside. */
export const UNAUTHORIZED_BODY = Object.freeze({
  statusCode: 401,
  message: 'Invalid or missing jambonz webhook authentication',
  error: 'Unauthorized',
});

const MIB = 1024 * 1024;

/** The sample's JSON body limit: `app.useBodyParser('json', { limit: '2mb' })` (bytes parses '2mb' as 2 MiB). */
export const JSON_LIMIT_BYTES = 2 * MIB;

/**
 * Size of the clearly oversized kind. Past the limit, Express's body parser refuses the request
 * by its Content-Length, before any guard runs, and Nest answers
 * 413 `{"statusCode":413,"message":"request entity too large"}`, keeping the connection alive.
 */
export const OVERSIZED_BYTES = Math.round(2.5 * MIB);

/** Seconds between now and the `t` of the stale and future kinds (the module's tolerance is 300). */
export const SKEW_SECONDS = 400;

/** A fixture as jambonz sends it: `JSON.stringify(JSON.parse(file))`, compact, raw UTF-8. */
export function fixtureBody(name) {
  return JSON.stringify(JSON.parse(readFileSync(new URL(`${name}.json`, FIXTURES), 'utf8')));
}

/** `Jambonz-Signature` value: `t=<t>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`. */
export function signatureHeader(body, secret, t) {
  return `t=${t},v1=${hmacHex(body, secret, t)}`;
}

function hmacHex(body, secret, t) {
  return createHmac('sha256', secret).update(`${t}.`).update(body, 'utf8').digest('hex');
}

/** `Authorization: Basic base64(utf8("user:pass"))`, as jambonz sends it. */
export function basicHeader(username, password) {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

/**
 * Checks this file's signer against the published vectors (two independent implementations of
 * jambonz's signing agree on them), so that a wrong expectation here cannot pass for a library bug.
 * @throws Error naming the first vector that disagrees.
 */
export function checkSignerAgainstVectors() {
  const { secret, timestamp, vectors } = JSON.parse(readFileSync(new URL('vectors.json', FIXTURES), 'utf8'));
  for (const vector of vectors) {
    const body = fixtureBody(vector.file.replace(/\.json$/, ''));
    const sha = createHash('sha256').update(body, 'utf8').digest('hex');
    if (Buffer.byteLength(body) !== vector.bodyBytes || sha !== vector.bodySha256) {
      throw new Error(`test/load: compact body of ${vector.file} does not match vectors.json`);
    }
    if (signatureHeader(body, secret, timestamp) !== vector.header) {
      throw new Error(`test/load: the load test's signer disagrees with vectors.json on ${vector.file}`);
    }
  }
  return vectors.length;
}

// ---------------------------------------------------------------------------------------------
// Response checks, run on a response whose status is the expected one. Each returns undefined
// when the response is right, or a short description of what is wrong.

function verbArray(body) {
  let verbs;
  try {
    verbs = JSON.parse(body);
  } catch {
    return 'body is not JSON';
  }
  if (!Array.isArray(verbs) || !verbs.every((v) => v && typeof v.verb === 'string')) return 'body is not a verb array';
  return undefined;
}

function nonEmptyVerbArray(body) {
  const problem = verbArray(body);
  if (problem) return problem;
  return JSON.parse(body).length > 0 ? undefined : 'empty verb array';
}

function emptyBody(body) {
  return body === '' ? undefined : 'body of a 204 is not empty';
}

function refused(body, headers) {
  let parsed;
  try {
    parsed = JSON.parse(body);
  } catch {
    return '401 body is not JSON';
  }
  const keys = Object.keys(parsed);
  const generic =
    keys.length === Object.keys(UNAUTHORIZED_BODY).length && keys.every((key) => parsed[key] === UNAUTHORIZED_BODY[key]);
  if (!generic) return 'not the generic 401 body';
  // Basic credentials are configured, so every refusal must challenge for them (RFC 7617).
  if (!/^Basic /.test(String(headers['www-authenticate'] ?? ''))) return '401 without WWW-Authenticate: Basic';
  return undefined;
}

function tooLarge(body) {
  try {
    return JSON.parse(body).statusCode === 413 ? undefined : '413 body does not say 413';
  } catch {
    return '413 body is not JSON';
  }
}

function discovery(body) {
  try {
    return typeof JSON.parse(body).GREETING === 'object' ? undefined : 'OPTIONS body lacks GREETING';
  } catch {
    return 'OPTIONS body is not JSON';
  }
}

// ---------------------------------------------------------------------------------------------

/** The fixtures sent as genuine webhooks, by route. */
const GENUINE = Object.freeze([
  ['/call', 'call-hook-inbound', 200, nonEmptyVerbArray],
  ['/call', 'call-hook-inbound-unicode-caller', 200, nonEmptyVerbArray],
  ['/call', 'call-hook-outbound-rest', 200, nonEmptyVerbArray],
  ['/call-status', 'call-status-ringing-outbound-leg', 204, emptyBody],
  ['/call-status', 'call-status-completed', 204, emptyBody],
  ['/call-status', 'call-status-busy', 204, emptyBody],
  ['/action/gather', 'gather-action-speech', 200, nonEmptyVerbArray],
  ['/action/gather', 'gather-action-digits', 200, nonEmptyVerbArray],
  ['/action/gather', 'dial-action', 200, nonEmptyVerbArray],
]);

/**
 * How many times a kind appears in one cycle: genuine webhooks most (they are most of the real
 * traffic), each refused or GET/OPTIONS kind half as often, the 2 MB bodies once (they cost ten
 * times more than the others to send and to read).
 */
const GENUINE_WEIGHT = 4;
const OTHER_WEIGHT = 2;

/**
 * Loads what does not change between batches: the fixture bodies and the oversized body.
 * @returns the material that {@link buildKinds} signs.
 */
export function loadMaterial() {
  const bodies = Object.fromEntries(GENUINE.map(([, name]) => [name, fixtureBody(name)]));
  // Inbound call hooks whose SIP message is padded to an exact total size: a realistic shape.
  const call = JSON.parse(bodies['call-hook-inbound']);
  const sized = (bytes) => {
    const base = JSON.stringify({ ...call, sip: { ...call.sip, raw: '' } });
    const body = JSON.stringify({ ...call, sip: { ...call.sip, raw: 'a'.repeat(bytes - Buffer.byteLength(base)) } });
    if (Buffer.byteLength(body) !== bytes) throw new Error(`test/load: could not build a ${bytes}-byte body`);
    // Buffers: autocannon sends them as they are, and the parent holds each once.
    return Buffer.from(body, 'utf8');
  };
  return {
    bodies,
    atLimit: sized(JSON_LIMIT_BYTES),
    overByOne: sized(JSON_LIMIT_BYTES + 1),
    oversized: sized(OVERSIZED_BYTES),
  };
}

/**
 * The request kinds, signed at `now` (Unix seconds). Build them again for each batch so that the
 * genuine ones stay well inside the 300 s tolerance however long the run takes.
 *
 * @param material from {@link loadMaterial}.
 * @param config `{ secret, wrongSecret, username, password }`, as given to the sample.
 * @param now Unix seconds.
 * @returns `{ name, group, method, path, headers, body?, expected, weight, check? }[]`, where
 *   `expected` is the one status the kind must get and `check(body, headers)` returns a problem
 *   with a response of that status, or undefined.
 */
export function buildKinds(material, config, now) {
  const { secret, wrongSecret, username, password } = config;
  const json = { 'content-type': 'application/json' };
  const basic = basicHeader(username, password);
  const auth = { authorization: basic };
  const kinds = [];

  // Genuine: signature and Basic, as jambonz sends when the hook has both.
  for (const [path, name, expected, check] of GENUINE) {
    const body = material.bodies[name];
    kinds.push({
      name: `genuine ${path} ${name}`,
      group: 'genuine',
      method: 'POST',
      path,
      headers: { ...json, ...auth, 'jambonz-signature': signatureHeader(body, secret, now) },
      body,
      expected,
      weight: GENUINE_WEIGHT,
      check,
    });
  }
  // jambonz sends the body `null` for a hook without parameters (signed as "<t>.null").
  kinds.push({
    name: 'genuine /action/redirect body null',
    group: 'genuine',
    method: 'POST',
    path: '/action/redirect',
    headers: { ...json, ...auth, 'jambonz-signature': signatureHeader('null', secret, now) },
    body: 'null',
    expected: 200,
    weight: GENUINE_WEIGHT,
    check: verbArray,
  });

  // Refused: a genuine /call hook with something wrong (one thing, but for "no credentials"). The signature cases carry
  // the right Basic credentials, so that the guard gets as far as the signature.
  const call = material.bodies['call-hook-inbound'];
  const goodSig = signatureHeader(call, secret, now);
  const goodV1 = goodSig.slice(goodSig.indexOf('v1=') + 3);
  const refuse = (name, headers, body = call) =>
    kinds.push({
      name,
      group: 'refused',
      method: 'POST',
      path: '/call',
      headers: { ...json, ...headers },
      body,
      expected: 401,
      weight: OTHER_WEIGHT,
      check: refused,
    });

  refuse('forged: wrong secret', { ...auth, 'jambonz-signature': signatureHeader(call, wrongSecret, now) });
  const from = JSON.parse(call).from;
  const altered = call.replace(JSON.stringify(from), JSON.stringify(from.slice(0, -3) + '666'));
  if (altered === call || altered.length !== call.length) throw new Error('test/load: could not alter the call hook body');
  refuse('altered body (same length)', { ...auth, 'jambonz-signature': goodSig }, altered);
  refuse('altered body (byte appended)', { ...auth, 'jambonz-signature': goodSig }, `${call} `);
  // The same payload, pretty-printed: a verifier that re-serialises the parsed body (as
  // @jambonz/node-client and @jambonz/sdk do) would accept it; the bytes differ, so it is refused.
  refuse(
    're-serialised body (pretty-printed)',
    { ...auth, 'jambonz-signature': goodSig },
    JSON.stringify(JSON.parse(call), null, 2),
  );
  refuse(`stale: t = now - ${SKEW_SECONDS}`, { ...auth, 'jambonz-signature': signatureHeader(call, secret, now - SKEW_SECONDS) });
  refuse(`future: t = now + ${SKEW_SECONDS}`, {
    ...auth,
    'jambonz-signature': signatureHeader(call, secret, now + SKEW_SECONDS),
  });
  refuse('malformed: t=abc', { ...auth, 'jambonz-signature': `t=abc,v1=${goodV1}` });
  refuse('malformed: v1 too short', { ...auth, 'jambonz-signature': `t=${now},v1=${goodV1.slice(0, 32)}` });
  refuse('malformed: v1 uppercase hex', { ...auth, 'jambonz-signature': `t=${now},v1=${goodV1.toUpperCase()}` });
  refuse('malformed: 8 KB header of garbage', { ...auth, 'jambonz-signature': garbage(8 * 1024) });
  // 199 wrong v1 entries, then the right one (13.6 KB, under Node's 16 KB header limit): the module
  // caps the elements of one header (16) and refuses it outright, valid entry or not.
  refuse('malformed: 200 v1 entries (last one valid)', {
    ...auth,
    'jambonz-signature': [
      `t=${now}`,
      ...Array.from({ length: 199 }, (_, i) => `v1=${hmacHex(call, `x${i}`, now)}`),
      `v1=${goodV1}`,
    ].join(','),
  });
  refuse('malformed: empty signature header', { ...auth, 'jambonz-signature': '' });
  refuse('no signature, no credentials', {});
  refuse('Basic only, no signature', { ...auth });
  refuse('signature only, no Basic', { 'jambonz-signature': goodSig });
  refuse('wrong Basic password', { authorization: basicHeader(username, `${password}x`), 'jambonz-signature': goodSig });
  refuse('Bearer instead of Basic', {
    authorization: `Bearer ${Buffer.from(`${username}:${password}`).toString('base64')}`,
    'jambonz-signature': goodSig,
  });
  // Signed and authenticated, but not what jambonz sends: its bodies are JSON in UTF-8 only.
  refuse('genuine signature, Content-Type text/plain', { ...auth, 'jambonz-signature': goodSig, 'content-type': 'text/plain' });
  // JSON nested 100,000 deep (200 KB), with a forged signature: parsed by the app before the guard runs.
  const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
  refuse('deep JSON (100,000 levels), forged signature', { ...auth, 'jambonz-signature': goodSig }, deep);

  // Large bodies. The sample's JSON parser takes up to 2 MB (2,097,152 bytes, `limit: '2mb'`), and
  // refuses more by Content-Length, before any guard runs, signed or not.
  kinds.push({
    name: `genuine /call at the limit (${material.atLimit.length} bytes)`,
    group: 'large',
    method: 'POST',
    path: '/call',
    headers: { ...json, ...auth, 'jambonz-signature': signatureHeader(material.atLimit, secret, now) },
    body: material.atLimit,
    expected: 200,
    weight: 1,
    check: nonEmptyVerbArray,
  });
  kinds.push({
    name: `oversized: limit + 1 byte, genuine auth`,
    group: 'large',
    method: 'POST',
    path: '/call',
    headers: { ...json, ...auth, 'jambonz-signature': signatureHeader(material.overByOne, secret, now) },
    body: material.overByOne,
    expected: 413,
    weight: 1,
    check: tooLarge,
  });
  kinds.push({
    name: `oversized: ${(OVERSIZED_BYTES / MIB).toFixed(1)} MB, no auth`,
    group: 'large',
    method: 'POST',
    path: '/call',
    headers: { ...json },
    body: material.oversized,
    expected: 413,
    weight: 1,
    check: tooLarge,
  });

  // GET hooks (Basic only: no body to verify) and the unauthenticated OPTIONS discovery.
  kinds.push({
    name: 'GET /call with Basic',
    group: 'get',
    method: 'GET',
    path: '/call',
    headers: { ...auth },
    expected: 200,
    weight: OTHER_WEIGHT,
    check: nonEmptyVerbArray,
  });
  kinds.push({
    name: 'GET /call without Basic',
    group: 'get',
    method: 'GET',
    path: '/call',
    headers: {},
    expected: 401,
    weight: OTHER_WEIGHT,
    check: refused,
  });
  kinds.push({
    name: 'GET /call wrong password',
    group: 'get',
    method: 'GET',
    path: '/call',
    headers: { authorization: basicHeader(username, 'nope') },
    expected: 401,
    weight: OTHER_WEIGHT,
    check: refused,
  });
  // A GET that carries a body is checked as one with a body: Basic alone does not pass it.
  kinds.push({
    name: 'GET /call with a body, Basic only',
    group: 'get',
    method: 'GET',
    path: '/call',
    headers: { ...json, ...auth },
    body: call,
    expected: 401,
    weight: OTHER_WEIGHT,
    check: refused,
  });
  // OPTIONS is unauthenticated only where the app declares it (@Options, for jambonz's discovery):
  // on the @All() action hook it is a request like any other.
  kinds.push({
    name: 'OPTIONS /action/redirect (@All), no auth',
    group: 'options',
    method: 'OPTIONS',
    path: '/action/redirect',
    headers: {},
    expected: 401,
    weight: OTHER_WEIGHT,
    check: refused,
  });
  kinds.push({
    name: 'OPTIONS /call',
    group: 'options',
    method: 'OPTIONS',
    path: '/call',
    headers: {},
    expected: 200,
    weight: OTHER_WEIGHT,
    check: discovery,
  });

  return kinds;
}

/** `length` characters of deterministic printable-ASCII junk (commas and `=` included). */
function garbage(length) {
  let out = '';
  let x = 0x9e3779b9;
  while (out.length < length) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out += String.fromCharCode(0x21 + ((x >>> 0) % 94));
  }
  return out;
}

/**
 * One cycle of requests: every kind `weight` times, interleaved (weighted round robin) so that
 * the kinds are spread through the cycle.
 */
export function cycleOf(kinds) {
  const cycle = [];
  const maxWeight = Math.max(...kinds.map((k) => k.weight));
  for (let round = 0; round < maxWeight; round++) {
    for (const kind of kinds) if (kind.weight > round) cycle.push(kind);
  }
  return cycle;
}
