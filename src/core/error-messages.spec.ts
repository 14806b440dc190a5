import { createHash } from 'node:crypto';
import { BasicCredentialsVerifier, parseBasicAuthorization, type BasicCredentials } from './basic-credentials.js';
import { generateSignatureHeader } from './generate-signature-header.js';
import { JambonzAuthError } from './jambonz-auth.error.js';
import { parseSignatureHeader } from './signature-header.js';
import { verifySignature, type VerifySignatureOptions } from './verify-signature.js';

// A refusal's message is what an application's exception filter or log shows: the reason, then
// which rule the input broke. A programming error names the function and the argument to fix.

const T = '1715000000';
const hex = (seed: string) => createHash('sha256').update(seed).digest('hex');
const A = hex('a');

/** The error of class `type` that `run` throws (fails when it throws something else or nothing). */
function thrown<E extends Error>(type: new (...args: never[]) => E, run: () => unknown): E {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(type);
    return error as E;
  }
  throw new Error(`expected a ${type.name}`);
}
const typeErrorOf = (run: () => unknown) => thrown(TypeError, run);
const refusalOf = (run: () => unknown) => thrown(JambonzAuthError, run);

describe('parseSignatureHeader explains each malformed header', () => {
  const nineSignatures = Array.from({ length: 9 }, (_, i) => `v1=${hex(String(i))}`).join(',');
  it.each<[string, string, string]>([
    ['a header over 1024 characters', `t=${T},v1=${A},v0=${'0'.repeat(1024)}`, 'longer than 1024 characters'],
    ['17 elements', `t=${T},v1=${A}${',v0=1'.repeat(15)}`, 'more than 16 elements'],
    ['an element without "="', `t=${T},v1${A}`, 'an element is not key=value'],
    ['an element with nothing before "="', `t=${T},=${A}`, 'an element is not key=value'],
    ['a key that is not alphanumeric', `t=${T},v-1=${A}`, 'an element has an invalid key'],
    ['t with a letter', `t=17150000a0,v1=${A}`, 't is not 1 to 10 digits'],
    ['t of 11 digits', `t=17150000000,v1=${A}`, 't is not 1 to 10 digits'],
    ['two different t', `t=${T},v1=${A},t=1715000001`, 'two different t values'],
    ['v1 in upper-case hex', `t=${T},v1=${A.toUpperCase()}`, 'v1 is not 64 lowercase hex digits'],
    ['nine distinct v1', `t=${T},${nineSignatures}`, 'more than 8 v1 signatures'],
    ['no t', `v1=${A}`, 'no t'],
    ['no v1', `t=${T},v0=${A}`, 'no v1'],
  ])('%s', (_case, header, detail) => {
    const error = refusalOf(() => parseSignatureHeader(header));
    expect(error.reason).toBe('malformed_signature');
    expect(error.message).toBe(`malformed_signature: ${detail}`);
  });

  it('says so when a line of an array header is not a string', () => {
    const error = refusalOf(() => parseSignatureHeader([`t=${T}`, 1, `v1=${A}`] as unknown as string[]));
    expect(error.message).toBe('malformed_signature: a header line is not a string');
  });

  it('refuses a missing header with the bare reason', () => {
    expect(refusalOf(() => parseSignatureHeader(undefined)).message).toBe('missing_signature');
  });

  it('accepts exactly 1024 characters, 16 elements and 8 distinct v1', () => {
    const eight = Array.from({ length: 8 }, (_, i) => `v1=${hex(String(i))}`).join(',');
    const sixteen = `t=${T},${eight}${',v0=1'.repeat(7)}`;
    expect(parseSignatureHeader(sixteen).signatures).toHaveLength(8);
    const padded = `t=${T},v1=${A},v0=`;
    const exactly1024 = padded + '0'.repeat(1024 - padded.length);
    expect(exactly1024).toHaveLength(1024);
    expect(parseSignatureHeader(exactly1024).timestampText).toBe(T);
  });
});

describe('parseBasicAuthorization explains a non-canonical token', () => {
  it.each([
    ['missing padding', `Basic ${Buffer.from('jambonz:pw').toString('base64').replace(/=+$/, '')}`],
    ['non-zero bits before the padding', 'Basic amFtYm9uejpwdx=='],
  ])('%s', (_case, header) => {
    const error = refusalOf(() => parseBasicAuthorization(header));
    expect(error.reason).toBe('malformed_credentials');
    expect(error.message).toBe('malformed_credentials: not canonical base64 of UTF-8');
  });
});

describe('programming errors name what to fix', () => {
  it.each<[string, unknown, string]>([
    ['no credential pair', [], 'BasicCredentialsVerifier: at least one credential pair is required'],
    [
      'a numeric username',
      { username: 42, password: 'x' },
      'BasicCredentialsVerifier: username must be a non-empty string without ":"',
    ],
    ['a missing username', { password: 'x' }, 'BasicCredentialsVerifier: username must be a non-empty string without ":"'],
    [
      'an empty username',
      { username: '', password: 'x' },
      'BasicCredentialsVerifier: username must be a non-empty string without ":"',
    ],
    [
      'a username with ":"',
      { username: 'a:b', password: 'x' },
      'BasicCredentialsVerifier: username must be a non-empty string without ":"',
    ],
    ['an empty password', { username: 'a', password: '' }, 'BasicCredentialsVerifier: password must be a non-empty string'],
    ['a numeric password', { username: 'a', password: 7 }, 'BasicCredentialsVerifier: password must be a non-empty string'],
    [
      'a control character',
      { username: 'a', password: 'tab\there' },
      'BasicCredentialsVerifier: credentials must not contain control characters or line separators (RFC 7617)',
    ],
  ])('BasicCredentialsVerifier: %s', (_case, credentials, message) => {
    expect(typeErrorOf(() => new BasicCredentialsVerifier(credentials as BasicCredentials)).message).toBe(message);
  });

  it.each<[string, string, number | undefined, string]>([
    ['an empty secret', '', 1715000000, 'generateSignatureHeader: secret must be a non-empty string'],
    [
      'a negative timestamp',
      'wh_secret_x',
      -1,
      'generateSignatureHeader: timestamp must be whole Unix seconds (0 to 9999999999)',
    ],
  ])('generateSignatureHeader: %s', (_case, secret, timestamp, message) => {
    expect(typeErrorOf(() => generateSignatureHeader('{}', secret, { timestamp })).message).toBe(message);
  });

  const header = generateSignatureHeader('{}', 'wh_secret_x', { timestamp: Number(T) });
  it.each<[string, unknown, unknown, VerifySignatureOptions, string]>([
    ['a parsed body', {}, 'wh_secret_x', {}, 'verifySignature: body must be a string or bytes'],
    ['no secret', '{}', [], {}, 'verifySignature: secrets must be one or more non-empty strings'],
    [
      'a hole among the secrets',
      '{}',
      Object.assign(new Array<string>(2), { 1: 'wh_secret_x' }),
      {},
      'verifySignature: secrets must be one or more non-empty strings',
    ],
    [
      'a zero tolerance',
      '{}',
      'wh_secret_x',
      { tolerance: 0 },
      'verifySignature: tolerance must be a positive number of seconds',
    ],
  ])('verifySignature: %s', (_case, body, secrets, options, message) => {
    const run = () => verifySignature(body as string, header, secrets as string, { now: Number(T), ...options });
    expect(typeErrorOf(run).message).toBe(message);
  });
});
