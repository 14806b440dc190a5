// Webhook bodies of exact sizes (1 KB, 4 KB, 64 KB, 1 MB), built from the project's fixtures.
//
// Each body is what jambonz puts on the wire: compact JSON.stringify of a payload (raw UTF-8,
// no spaces). A fixture is taken as is, then one realistic field is grown until the body is
// exactly the target number of bytes, so every body stays a genuine-looking, valid jambonz
// payload whose parse/stringify round trip is the identity (the peers re-serialise req.body).
import { readFileSync } from 'node:fs';

const FIXTURES = new URL('../test/fixtures/jambonz-webhooks/', import.meta.url);

export const SIZES = Object.freeze([
  { label: '1 KB', bytes: 1024 },
  { label: '4 KB', bytes: 4096 },
  { label: '64 KB', bytes: 65536 },
  { label: '1 MB', bytes: 1048576 },
]);

function fixture(name) {
  return JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8'));
}

function byteSize(payload) {
  return Buffer.byteLength(JSON.stringify(payload), 'utf8');
}

/** ASCII filler that JSON.stringify leaves unescaped: one byte per character. */
function filler(length) {
  const words = 'please call me back about the renewal of contract forty two ';
  return words.repeat(Math.ceil(length / words.length) + 1).slice(0, length);
}

/**
 * Finds the largest n such that `build(n)` (the fixture with n units added) is at most `target`
 * bytes, then pads a string field with `pad(payload, k)` (k ASCII bytes) to land exactly on
 * `target`. `build` must be a pure function of n whose size grows with n (binary search).
 */
function growTo(target, build, pad) {
  // size(n) grows with n: binary search for the largest n with size(n) <= target.
  let lo = 0;
  let hi = 1;
  while (byteSize(build(hi)) <= target) hi *= 2;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (byteSize(build(mid)) <= target) lo = mid;
    else hi = mid;
  }
  const n = lo;
  const payload = build(n);
  const size = byteSize(payload);
  if (size < target) pad(payload, target - size);
  const final = byteSize(payload);
  if (final !== target) throw new Error(`bench/bodies: built ${final} bytes, wanted ${target}`);
  return { payload, units: n };
}

// --- 1 KB: call_hook of an outbound call created through the REST API (customerData grows).
function body1k(target) {
  const { payload, units } = growTo(
    target,
    (n) => {
      const p = fixture('call-hook-outbound-rest.json');
      // customerData is the REST caller's free-form data: a CRM note is a realistic thing to carry.
      p.customerData.crm.note = 'Llamar después de las 17h; '.repeat(n);
      return p;
    },
    (p, k) => (p.customerData.crm.note += filler(k)),
  );
  return { payload, source: 'call-hook-outbound-rest.json', grown: `customerData.crm.note (${units} phrases + padding)` };
}

// --- 4 KB and 64 KB: inbound call_hook, the SIP INVITE in sip.raw grows by header lines.
const EXTRA_SIP_HEADERS = [
  (i) => `Record-Route: <sip:10.0.${(i >> 8) & 255}.${i & 255}:5060;lr;ftag=Q8v3mKp1Nz4Xr>`,
  (i) => `X-Trace-Hop-${i}: 203.0.113.${i % 250};ts=${1715000000 + i}`,
  (i) =>
    `Diversion: <sip:+1555555${String(1000 + (i % 9000)).padStart(4, '0')}@203.0.113.17>;reason=unconditional;counter=${i % 9}`,
  (i) => `X-Carrier-Meta-${i}: region=us-east-1;pop=iad${i % 7};route=${((i * 2654435761) >>> 0).toString(16)}`,
];

function bodySip(target) {
  const original = fixture('call-hook-inbound.json');
  const split = original.sip.raw.indexOf('\r\n\r\n');
  const head = original.sip.raw.slice(0, split + 2);
  const tail = original.sip.raw.slice(split + 2); // the blank line, then the SDP
  let extra = [];
  const { payload, units } = growTo(
    target,
    (n) => {
      const p = structuredClone(original);
      extra = Array.from({ length: n }, (_, i) => `${EXTRA_SIP_HEADERS[i % EXTRA_SIP_HEADERS.length](i)}\r\n`);
      p.sip.raw = head + extra.join('') + tail;
      return p;
    },
    (p, k) => {
      // "X-Note: " + filler + "\r\n" is 8 + f + 4 bytes in JSON (CR LF is escaped to 4 bytes).
      if (k >= 13) {
        extra.push(`X-Note: ${filler(k - 12)}\r\n`);
      } else {
        // Too short for a header line of its own: lengthen the last added line's value.
        const last = extra.length - 1;
        const line = extra[last].slice(0, -2);
        extra[last] = k >= 3 ? `${line};x=${'0'.repeat(k - 3)}\r\n` : `${line}${'0'.repeat(k)}\r\n`;
      }
      p.sip.raw = head + extra.join('') + tail;
    },
  );
  return { payload, source: 'call-hook-inbound.json', grown: `sip.raw (+${units} SIP header lines + padding)` };
}

// --- 1 MB: gather actionHook with a long speech result (an STT vendor event), words grow.
const DICTATION = (
  'I would like to speak to customer support about my last invoice because the amount ' +
  'looks wrong and I was charged twice for the same international call last month'
).split(' ');

function body1m(target) {
  const original = fixture('gather-action-speech.json');
  const { payload, units } = growTo(
    target,
    (n) => {
      const p = structuredClone(original);
      const alt = p.speech.vendor.evt.channel.alternatives[0];
      const top = p.speech.alternatives[0];
      let clock = 1.92;
      const spoken = [];
      for (let i = 0; i < n; i++) {
        const word = DICTATION[i % DICTATION.length];
        const start = Math.round(clock * 100) / 100;
        clock += 0.24;
        alt.words.push({
          word: word.toLowerCase(),
          start,
          end: Math.round(clock * 100) / 100,
          confidence: 0.97,
          punctuated_word: word,
        });
        spoken.push(word);
      }
      const more = spoken.length ? ` ${spoken.join(' ')}` : '';
      alt.transcript += more;
      top.transcript += more;
      return p;
    },
    (p, k) => (p.speech.alternatives[0].transcript += filler(k)),
  );
  return {
    payload,
    source: 'gather-action-speech.json',
    grown: `speech.vendor.evt words + transcripts (+${units} words + padding)`,
  };
}

const RECIPES = { 1024: body1k, 4096: bodySip, 65536: bodySip, 1048576: body1m };

/**
 * @returns for each size: { label, bytes, source, grown, text, buffer, parsed }. `text` is the
 *   compact JSON, `buffer` its UTF-8 bytes (what arrives), `parsed` a fresh JSON.parse of it
 *   (what express.json() gives a route).
 */
export function buildBodies(sizes = SIZES) {
  return sizes.map(({ label, bytes }) => {
    const recipe = RECIPES[bytes];
    if (!recipe) throw new Error(`bench/bodies: no recipe for ${bytes} bytes`);
    const { payload, source, grown } = recipe(bytes);
    const text = JSON.stringify(payload);
    const buffer = Buffer.from(text, 'utf8');
    const parsed = JSON.parse(text);
    if (buffer.length !== bytes) throw new Error(`bench/bodies: ${label} is ${buffer.length} bytes`);
    if (JSON.stringify(parsed) !== text) throw new Error(`bench/bodies: ${label} does not round-trip through JSON`);
    return { label, bytes, source, grown, text, buffer, parsed };
  });
}

export function bodyOfSize(bytes) {
  const size = SIZES.find((s) => s.bytes === bytes);
  if (!size) throw new Error(`bench/bodies: unknown size ${bytes}`);
  return buildBodies([size])[0];
}
