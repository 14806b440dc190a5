import { createHmac } from 'node:crypto';
import { generateSignatureHeader } from './generate-signature-header.js';

const SECRET = 'wh_secret_7Xq2Lm9vKp3Rt8Wz4Nc6Bd';
const BODY = '{"caller_name":"王小明 📞","call_sid":"abc"}';
const HEADER = /^t=(\d+),v1=([0-9a-f]{64})$/;

/** Splits a generated header into its timestamp and signature, failing the test if the format is off. */
function partsOf(header: string): { t: string; v1: string } {
  const match = HEADER.exec(header);
  expect(match).not.toBeNull();
  return { t: match![1]!, v1: match![2]! };
}

describe('generateSignatureHeader', () => {
  it.each([
    ['a string body', BODY],
    ['the same body as bytes', Buffer.from(BODY, 'utf8')],
  ])('writes t=<digits>,v1=<HMAC of "<t>.<body>" in lowercase hex> for %s', (_case, body) => {
    const { t, v1 } = partsOf(generateSignatureHeader(body, SECRET, { timestamp: 1715000000 }));
    expect(t).toBe('1715000000');
    expect(v1).toBe(createHmac('sha256', SECRET).update(`${t}.${BODY}`).digest('hex'));
  });

  it.each([0, 9_999_999_999])('accepts the boundary timestamp %d and writes it in plain digits', (timestamp) => {
    expect(partsOf(generateSignatureHeader(BODY, SECRET, { timestamp })).t).toBe(String(timestamp));
  });

  it('signs at the current second when no timestamp is given', () => {
    const before = Math.floor(Date.now() / 1000);
    const { t } = partsOf(generateSignatureHeader(BODY, SECRET));
    const after = Math.floor(Date.now() / 1000);
    expect(Number(t)).toBeGreaterThanOrEqual(before);
    expect(Number(t)).toBeLessThanOrEqual(after);
  });

  it.each([
    ['an empty secret', ''],
    ['a non-string secret', 42 as unknown as string],
  ])('throws a TypeError for %s', (_case, secret) => {
    expect(() => generateSignatureHeader(BODY, secret, { timestamp: 1715000000 })).toThrow(TypeError);
  });

  it.each([
    ['negative', -1],
    ['fractional', 1715000000.5],
    ['more than 10 digits', 10_000_000_000],
    ['NaN', Number.NaN],
    ['infinite', Number.POSITIVE_INFINITY],
  ])('throws a TypeError for a %s timestamp', (_case, timestamp) => {
    expect(() => generateSignatureHeader(BODY, SECRET, { timestamp })).toThrow(TypeError);
  });
});
