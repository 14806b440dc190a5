import { createHash } from 'node:crypto';
import { parseBasicAuthorization } from './basic-credentials.js';
import { isJambonzAuthError, JambonzAuthError, type JambonzAuthReason } from './jambonz-auth.error.js';
import { parseSignatureHeader } from './signature-header.js';

// Inputs one step away from what the core accepts or recognises, and the exact answer for each.

function reasonOf(run: () => unknown): JambonzAuthReason | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    if (error instanceof JambonzAuthError) return error.reason;
    throw error;
  }
}

describe('parseBasicAuthorization: the Basic scheme must open the header', () => {
  const token = Buffer.from('jambonz:pw').toString('base64');
  it.each([
    ['"basic" as the second word', `Bearer basic ${token}`],
    ['"basic" as the last word', 'Bearer basic'],
    ['"basic" at the end of the scheme name', `xbasic ${token}`],
  ])('%s is another scheme: missing_credentials', (_case, header) => {
    expect(reasonOf(() => parseBasicAuthorization(header))).toBe('missing_credentials');
  });

  it('spaces before the scheme are allowed', () => {
    expect(parseBasicAuthorization(`  Basic ${token}`)).toEqual({ username: 'jambonz', password: 'pw' });
  });
});

describe('isJambonzAuthError: the name is part of the contract', () => {
  it('refuses an Error that carries a reason under another name', () => {
    const other = Object.assign(new Error('signature_mismatch'), { reason: 'signature_mismatch' });
    expect(isJambonzAuthError(other)).toBe(false);
  });

  it('refuses a TypeError that carries a reason', () => {
    expect(isJambonzAuthError(Object.assign(new TypeError('x'), { reason: 'no_secret' }))).toBe(false);
  });
});

describe('parseSignatureHeader: only the keys t and v1 themselves carry the timestamp and signatures', () => {
  const T = '1715000000';
  const hex = (seed: string) => createHash('sha256').update(seed).digest('hex');
  const A = hex('a');
  const B = hex('b');

  it.each([
    ['a one-letter key other than t', `x=${B}`],
    ['a longer key starting with t', `tt=${B}`],
    ['t followed by a digit', `t1=1715000001`],
    ['a two-character key ending in 1', `x1=${B}`],
    ['a longer key starting with v1', `v1x=${B}`],
    ['v10', `v10=${B}`],
    ['V1 in upper case', `V1=${B}`],
    ['v0', `v0=${B}`],
  ])('%s is another scheme, ignored', (_case, element) => {
    const parsed = parseSignatureHeader(`t=${T},v1=${A},${element}`);
    expect(parsed.timestampText).toBe(T);
    expect(parsed.signatures.map((signature) => signature.toString('hex'))).toEqual([A]);
  });

  it.each(['AZ', 'az', '09', 'Zz9'])('accepts the ASCII letters and digits of key %p', (key) => {
    expect(() => parseSignatureHeader(`t=${T},v1=${A},${key}=x`)).not.toThrow();
  });

  it.each(['@', '[', '`', '{', '/', ':', 'é', 'v-1', 'v_1'])('refuses a key with %p', (key) => {
    expect(() => parseSignatureHeader(`t=${T},v1=${A},${key}=x`)).toThrow(
      expect.objectContaining({ message: 'malformed_signature: an element has an invalid key' }),
    );
  });

  it('reads "=" only inside its own element', () => {
    expect(() => parseSignatureHeader(`t=${T},v1${A},v0=1`)).toThrow(
      expect.objectContaining({ message: 'malformed_signature: an element is not key=value' }),
    );
  });
});
