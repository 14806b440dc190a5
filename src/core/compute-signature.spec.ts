import { createHmac } from 'node:crypto';
import { computeSignature } from './compute-signature.js';

const SECRET = 'wh_secret_7Xq2Lm9vKp3Rt8Wz4Nc6Bd';
const T = 1715000000;

/** jambonz's signing written out independently: HMAC-SHA256 over the UTF-8 of `<t>.<body>`. */
function reference(secret: string, timestamp: string | number, body: string): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest();
}

const BODIES: ReadonlyArray<[string, string]> = [
  ['an empty body', ''],
  ['the no-params body', 'null'],
  ['compact ASCII JSON', '{"call_sid":"abc","direction":"inbound"}'],
  ['raw UTF-8 JSON with emoji and CJK', '{"caller_name":"王小明 📞","text":"Olá"}'],
  ['a body containing the separator', '1715000000.{"a":"x.y"}'],
];

describe('computeSignature', () => {
  it.each(BODIES)('matches an independent HMAC for %s as a string', (_case, body) => {
    expect(computeSignature(SECRET, T, body)).toEqual(reference(SECRET, T, body));
  });

  it.each(BODIES)('matches an independent HMAC for %s as a Buffer and as a plain Uint8Array', (_case, body) => {
    const buffer = Buffer.from(body, 'utf8');
    expect(computeSignature(SECRET, T, buffer)).toEqual(reference(SECRET, T, body));
    expect(computeSignature(SECRET, T, new Uint8Array(buffer))).toEqual(reference(SECRET, T, body));
  });

  it('returns the 32-byte digest', () => {
    expect(computeSignature(SECRET, T, 'null')).toHaveLength(32);
  });

  it('signs the timestamp digits as given, so leading zeros change the signature', () => {
    expect(computeSignature(SECRET, String(T), 'null')).toEqual(computeSignature(SECRET, T, 'null'));
    expect(computeSignature(SECRET, '0100', 'null')).toEqual(reference(SECRET, '0100', 'null'));
    expect(computeSignature(SECRET, '0100', 'null')).not.toEqual(computeSignature(SECRET, 100, 'null'));
  });

  // jambonz accepts any string as a secret: trimming or normalising it would break verification.
  it.each([
    ['not trimmed', ` ${SECRET} `, SECRET],
    ['not Unicode-normalised', 'sécret-日本-🔑', 'sécret-日本-🔑'.normalize('NFD')],
  ])('keys the HMAC with the secret exactly as given: %s', (_case, secret, lookalike) => {
    expect(computeSignature(secret, T, 'null')).toEqual(reference(secret, T, 'null'));
    expect(computeSignature(secret, T, 'null')).not.toEqual(computeSignature(lookalike, T, 'null'));
  });
});
