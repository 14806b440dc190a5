import { isJambonzAuthError, JambonzAuthError } from './jambonz-auth.error.js';

/** What a second copy of the package (another version in node_modules) would throw. */
function lookAlike(reason: unknown): Error {
  return Object.assign(new Error('signature_mismatch'), { name: 'JambonzAuthError', reason });
}

describe('JambonzAuthError', () => {
  it('carries its reason, its name, and a message built from the reason and the detail only', () => {
    const plain = new JambonzAuthError('signature_mismatch');
    const detailed = new JambonzAuthError('malformed_signature', 'no t');
    expect(plain).toBeInstanceOf(Error);
    expect(plain).toMatchObject({ name: 'JambonzAuthError', reason: 'signature_mismatch', message: 'signature_mismatch' });
    expect(detailed.message).toBe('malformed_signature: no t');
  });
});

describe('isJambonzAuthError', () => {
  it.each([
    ['an instance of the class', new JambonzAuthError('no_secret')],
    ['a look-alike from another copy of the package', lookAlike('signature_mismatch')],
  ])('recognises %s', (_case, error) => {
    expect(isJambonzAuthError(error)).toBe(true);
  });

  it.each([
    ['a plain Error', new Error('signature_mismatch')],
    ['a TypeError', new TypeError('bad secret')],
    ['an Error named JambonzAuthError without a reason', lookAlike(undefined)],
    ['an Error named JambonzAuthError with a non-string reason', lookAlike(42)],
    ['a plain object shaped like the error', { name: 'JambonzAuthError', reason: 'signature_mismatch', message: 'x' }],
    ['a string', 'JambonzAuthError'],
    ['null', null],
    ['undefined', undefined],
  ])('rejects %s', (_case, value) => {
    expect(isJambonzAuthError(value)).toBe(false);
  });
});
