import { createHash } from 'node:crypto';
import { constantTimeEqual, sha256 } from './constant-time.js';

describe('constantTimeEqual', () => {
  const bytes = (text: string) => Buffer.from(text, 'utf8');

  it.each([
    ['two empty arrays', bytes(''), bytes('')],
    ['identical bytes', bytes('v1-signature'), bytes('v1-signature')],
    ['a Buffer and a plain Uint8Array of the same bytes', bytes('abc'), new Uint8Array([0x61, 0x62, 0x63])],
  ])('is true for %s', (_case, a, b) => {
    expect(constantTimeEqual(a, b)).toBe(true);
  });

  it.each([
    ['the first byte differs', bytes('xbc'), bytes('abc')],
    ['the last byte differs', bytes('abx'), bytes('abc')],
    ['one bit differs', Uint8Array.of(0b0000_0001), Uint8Array.of(0b0000_0000)],
  ])('is false when %s', (_case, a, b) => {
    expect(constantTimeEqual(a, b)).toBe(false);
  });

  // crypto.timingSafeEqual throws on a length mismatch; a verifier must answer "no", not crash.
  it.each([
    ['empty vs non-empty', bytes(''), bytes('a')],
    ['non-empty vs empty', bytes('a'), bytes('')],
    ['a prefix of the other', bytes('abc'), bytes('abcd')],
    ['32 vs 31 bytes', Buffer.alloc(32), Buffer.alloc(31)],
  ])('is false without throwing for different lengths: %s', (_case, a, b) => {
    expect(() => constantTimeEqual(a, b)).not.toThrow();
    expect(constantTimeEqual(a, b)).toBe(false);
  });
});

describe('sha256', () => {
  // Credentials are compared as digests: each must be the SHA-256 of the UTF-8 bytes, 32 bytes long.
  it.each(['', 'user', 'josé', '日本', 'p:ss wörd 📞'])('hashes the UTF-8 bytes of %j', (text) => {
    const expected = createHash('sha256').update(Buffer.from(text, 'utf8')).digest();
    expect(sha256(text)).toEqual(expected);
    expect(sha256(text)).toHaveLength(32);
  });
});
