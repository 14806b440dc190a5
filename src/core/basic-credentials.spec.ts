import {
  basicAuthorization,
  BasicCredentialsVerifier,
  credentialsProblem,
  parseBasicAuthorization,
  type BasicCredentials,
} from './basic-credentials.js';
import type { JambonzAuthReason } from './jambonz-auth.error.js';

/** The token jambonz sends: base64 of the UTF-8 bytes of `user:pass`. */
const token = (userPass: string) => Buffer.from(userPass, 'utf8').toString('base64');
const basic = (userPass: string) => `Basic ${token(userPass)}`;
const refusal = (reason: JambonzAuthReason) => expect.objectContaining({ name: 'JambonzAuthError', reason });

/** Contains both `+` and `/`, so its base64url spelling differs from the standard one. */
const SYMBOLS = 'jambonz:~~~??>';

describe('parseBasicAuthorization', () => {
  it.each<[string, string, BasicCredentials]>([
    ['the form jambonz sends', basic('jambonz:s3cret'), { username: 'jambonz', password: 's3cret' }],
    ['a lower-case scheme', `basic ${token('jambonz:s3cret')}`, { username: 'jambonz', password: 's3cret' }],
    ['an upper-case scheme', `BASIC ${token('jambonz:s3cret')}`, { username: 'jambonz', password: 's3cret' }],
    ['several spaces after the scheme', `Basic   ${token('jambonz:s3cret')}`, { username: 'jambonz', password: 's3cret' }],
    ['spaces around the whole value', `  Basic ${token('jambonz:s3cret')}  `, { username: 'jambonz', password: 's3cret' }],
    [
      'a password containing colons, split at the first one',
      basic('jambonz:pa:ss:'),
      { username: 'jambonz', password: 'pa:ss:' },
    ],
    ['a password containing spaces', basic('jambonz:p ss wörd'), { username: 'jambonz', password: 'p ss wörd' }],
    ['a UTF-8 username and password', basic('josé:пароль 🔑'), { username: 'josé', password: 'пароль 🔑' }],
    ['a CJK username', basic('日本:東京'), { username: '日本', password: '東京' }],
    ['a base64 token with + and /', basic(SYMBOLS), { username: 'jambonz', password: '~~~??>' }],
  ])('accepts %s', (_case, header, credentials) => {
    expect(parseBasicAuthorization(header)).toEqual(credentials);
  });

  it.each<[string, string | undefined | null]>([
    ['no header', undefined],
    ['a null header', null],
    ['an empty header', ''],
    ['a Bearer token', 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig'],
    ['Digest credentials', 'Digest username="jambonz", realm="x", nonce="y", response="z"'],
    ['a scheme that only starts with "Basic"', `Basicx ${token('jambonz:s3cret')}`],
    ['the token glued to the scheme', `Basic${token('jambonz:s3cret')}`],
  ])('refuses %s with missing_credentials', (_case, header) => {
    expect(() => parseBasicAuthorization(header)).toThrow(refusal('missing_credentials'));
  });

  it.each<[string, string]>([
    ['no colon', basic('jambonzs3cret')],
    ['a token that is not base64', 'Basic !!!'],
    ['the scheme without a token', 'Basic'],
    ['the scheme followed by spaces only', 'Basic   '],
    ['missing padding', `Basic ${token('u:pa').replace(/=+$/, '')}`],
    ['padding where none belongs', `Basic ${token('u:p')}==`],
    ['non-zero bits in the padding', 'Basic dTpwYR=='],
    ['base64url characters - and _', `Basic ${token(SYMBOLS).replace('+', '-').replace('/', '_')}`],
    ['bytes that are not UTF-8', `Basic ${Buffer.from([0x75, 0x3a, 0xff]).toString('base64')}`],
    ['a second token', `${basic('jambonz:s3cret')} ${token('other:pass')}`],
    ['a tab between scheme and token', `Basic\t${token('jambonz:s3cret')}`],
    ['an empty username', basic(':s3cret')],
    ['an empty password', basic('jambonz:')],
    ['a colon alone', basic(':')],
    // RFC 7617 forbids controls; the basic-auth split cannot carry line terminators.
    ['a password with a newline', basic('jambonz:line\nbreak')],
    ['a password with U+2028 LINE SEPARATOR', basic('jambonz:a\u2028b')],
    ['a username with a control character', basic('jam\u0001bonz:s3cret')],
    ['a password with a tab', basic('jambonz:tab\there')],
    ['a password ending in DEL', basic('jambonz:s3cret\u007f')],
  ])('refuses %s with malformed_credentials', (_case, header) => {
    expect(() => parseBasicAuthorization(header)).toThrow(refusal('malformed_credentials'));
  });

  it.each<[string, unknown]>([
    ['an array holding a Basic header', [basic('jambonz:s3cret')]],
    ['an object that reads as a Basic header', { toString: () => basic('jambonz:s3cret') }],
  ])('refuses %s with missing_credentials: only a string is a header', (_case, header) => {
    expect(() => parseBasicAuthorization(header as string)).toThrow(refusal('missing_credentials'));
  });

  it.each<[string, string]>([
    ['a tab before the scheme', `\tBasic ${token('jambonz:s3cret')}`],
    ['the scheme twice', `Basic Basic ${token('jambonz:s3cret')}`],
    ['a token that is not base64', 'Basic !!!'],
  ])('says why it refuses %s: not one base64 token after the scheme', (_case, header) => {
    expect(() => parseBasicAuthorization(header)).toThrow(
      expect.objectContaining({
        reason: 'malformed_credentials',
        message: 'malformed_credentials: not one base64 token after the scheme',
      }),
    );
  });

  it('says why it refuses a token without a user and a password', () => {
    for (const userPass of ['jambonzs3cret', ':s3cret', 'jambonz:']) {
      expect(() => parseBasicAuthorization(basic(userPass))).toThrow(
        expect.objectContaining({
          reason: 'malformed_credentials',
          message: 'malformed_credentials: not a non-empty user and password separated by ":"',
        }),
      );
    }
  });

  it('says why it refuses a token that is not canonical base64', () => {
    expect(() => parseBasicAuthorization('Basic dTpwYR==')).toThrow(
      expect.objectContaining({
        reason: 'malformed_credentials',
        message: 'malformed_credentials: not canonical base64 of UTF-8',
      }),
    );
  });

  it('says why it refuses a control character, for the log', () => {
    expect(() => parseBasicAuthorization(basic('jambonz:tab\there'))).toThrow(
      'malformed_credentials: a control character or line separator',
    );
  });
});

describe('basicAuthorization', () => {
  it('builds the header jambonz sends, which parseBasicAuthorization reads back', () => {
    const credentials = { username: 'jambonz', password: 'p:ss wörd' };
    const header = basicAuthorization(credentials);
    expect(header).toBe(`Basic ${Buffer.from('jambonz:p:ss wörd', 'utf8').toString('base64')}`);
    expect(parseBasicAuthorization(header)).toEqual(credentials);
  });
});

describe('BasicCredentialsVerifier', () => {
  const current = { username: 'jambonz', password: 'p:ss wörd' };
  const previous = { username: 'josé', password: 'old-pass' };

  it.each<[string, BasicCredentials | BasicCredentials[], string, string]>([
    ['the single configured pair', current, 'jambonz:p:ss wörd', 'jambonz'],
    ['the first pair of a rotation', [current, previous], 'jambonz:p:ss wörd', 'jambonz'],
    ['the second pair of a rotation', [current, previous], 'josé:old-pass', 'josé'],
  ])('accepts %s and returns its username', (_case, configured, sent, username) => {
    expect(new BasicCredentialsVerifier(configured).verify(basic(sent))).toBe(username);
  });

  it.each<[string, JambonzAuthReason, string | undefined]>([
    ['no header', 'missing_credentials', undefined],
    ['a Bearer token', 'missing_credentials', 'Bearer abc'],
    ['a malformed token', 'malformed_credentials', 'Basic !!!'],
    ['a wrong username', 'credentials_mismatch', basic('jambonz2:p:ss wörd')],
    ['a username differing only in case', 'credentials_mismatch', basic('Jambonz:p:ss wörd')],
    ['a wrong password', 'credentials_mismatch', basic('jambonz:p:ss word')],
    ['a prefix of the password', 'credentials_mismatch', basic('jambonz:p:ss')],
    ["one pair's username with the other pair's password", 'credentials_mismatch', basic('jambonz:old-pass')],
  ])('refuses %s with %s', (_case, reason, header) => {
    expect(() => new BasicCredentialsVerifier([current, previous]).verify(header)).toThrow(refusal(reason));
  });

  it.each<[string, unknown]>([
    ['an empty list', []],
    ['an empty username', { username: '', password: 'x' }],
    ['a username containing ":"', { username: 'a:b', password: 'x' }],
    ['an empty password', { username: 'a', password: '' }],
    ['a non-string password', { username: 'a', password: 42 }],
    ['one bad pair among good ones', [current, { username: 'a', password: '' }]],
    ['a password with a control character', { username: 'a', password: 'tab\there' }],
    ['a username with U+2029 PARAGRAPH SEPARATOR', { username: 'a\u2029b', password: 'x' }],
    ['a pair that is not an object', [current, null]],
  ])('throws a TypeError for %s', (_case, credentials) => {
    expect(() => new BasicCredentialsVerifier(credentials as BasicCredentials[])).toThrow(
      /^BasicCredentialsVerifier: (at least one|each credential pair|username|password|credentials must not)/,
    );
  });

  const PLACEHOLDER = 'username and password must not be "undefined", "null" or the like (an unset variable)';
  const INVISIBLE = 'username and password must not be only whitespace or invisible characters';
  const NOT_A_PAIR = 'each credential pair must be { username, password }';
  it.each<[string, unknown, string]>([
    ['an empty list', [], 'at least one credential pair is required'],
    ['a pair that is not an object', 'jambonz:pass', NOT_A_PAIR],
    ['null in a list', [current, null], NOT_A_PAIR],
    ['a username containing ":"', { username: 'a:b', password: 'x' }, 'username must be a non-empty string without ":"'],
    ['an empty password', { username: 'a', password: '' }, 'password must be a non-empty string'],
    ['a username that an unset variable became', { username: 'undefined', password: 'x' }, PLACEHOLDER],
    ['a password that an unset variable became', [current, { username: 'a', password: ' NULL ' }], PLACEHOLDER],
    [
      'a password with a newline',
      { username: 'a', password: 'pass\n' },
      'credentials must not contain control characters or line separators (RFC 7617)',
    ],
    ['a username of spaces', { username: '   ', password: 'x' }, INVISIBLE],
    ['a password of a zero-width space', [current, { username: 'a', password: '\u200b' }], INVISIBLE],
    ['a hole in a list, checked as undefined', Object.assign(new Array<unknown>(2), { 1: current }), NOT_A_PAIR],
    ['a hole at the end of a list', Object.assign(new Array<unknown>(2), { 0: current }), NOT_A_PAIR],
  ])('says exactly what is wrong with %s', (_case, credentials, problem) => {
    expect(() => new BasicCredentialsVerifier(credentials as BasicCredentials[])).toThrow(
      new TypeError(`BasicCredentialsVerifier: ${problem}`),
    );
  });

  it('counts the accepted pairs', () => {
    expect(new BasicCredentialsVerifier(current).size).toBe(1);
    expect(new BasicCredentialsVerifier([current, previous]).size).toBe(2);
  });

  describe('verifyIndex', () => {
    it.each<[string, string, { username: string; index: number }]>([
      ['the first pair', 'jambonz:p:ss wörd', { username: 'jambonz', index: 0 }],
      ['the second pair', 'josé:old-pass', { username: 'josé', index: 1 }],
    ])('says which pair matched: %s', (_case, sent, match) => {
      expect(new BasicCredentialsVerifier([current, previous]).verifyIndex(basic(sent))).toStrictEqual(match);
    });

    it('answers the first of two identical pairs', () => {
      expect(new BasicCredentialsVerifier([previous, current, current]).verifyIndex(basic('jambonz:p:ss wörd'))).toStrictEqual({
        username: 'jambonz',
        index: 1,
      });
    });

    it('answers position 0 for a single pair given without a list', () => {
      expect(new BasicCredentialsVerifier(current).verifyIndex(basic('jambonz:p:ss wörd'))).toStrictEqual({
        username: 'jambonz',
        index: 0,
      });
    });

    it.each<[string, JambonzAuthReason, string | undefined]>([
      ['no header', 'missing_credentials', undefined],
      ['a malformed token', 'malformed_credentials', 'Basic !!!'],
      ["the first pair's username with the second pair's password", 'credentials_mismatch', basic('jambonz:old-pass')],
      ["the second pair's username with the first pair's password", 'credentials_mismatch', basic('josé:p:ss wörd')],
    ])('refuses %s with %s', (_case, reason, header) => {
      expect(() => new BasicCredentialsVerifier([current, previous]).verifyIndex(header)).toThrow(refusal(reason));
    });
  });
});

describe('credentialsProblem', () => {
  it.each<[string, unknown, ReturnType<typeof credentialsProblem>]>([
    ['a good pair', { username: 'jambonz', password: 'p:ss wörd' }, undefined],
    ['a pair with extra fields', { username: 'jambonz', password: 'x', realm: 'r' }, undefined],
    ['null', null, 'shape'],
    ['a string', 'jambonz:pass', 'shape'],
    ['a number', 42, 'shape'],
    ['a missing username', { password: 'x' }, 'username'],
    ['a numeric username', { username: 1, password: 'x' }, 'username'],
    ['an empty username', { username: '', password: 'x' }, 'username'],
    ['a username with a colon', { username: 'a:b', password: 'x' }, 'username'],
    ['a missing password', { username: 'a' }, 'password'],
    ['a numeric password', { username: 'a', password: 42 }, 'password'],
    ['an empty password', { username: 'a', password: '' }, 'password'],
    ["a username 'undefined'", { username: 'undefined', password: 'x' }, 'placeholder'],
    ["a password 'null'", { username: 'a', password: 'null' }, 'placeholder'],
    ["a password '[object Object]'", { username: 'a', password: '[object Object]' }, 'placeholder'],
    [
      'a placeholder password with a newline: the placeholder is what to fix',
      { username: 'a', password: 'undefined\n' },
      'placeholder',
    ],
    ['a username with a control character', { username: 'a\u0001', password: 'x' }, 'characters'],
    ['a password with a line separator', { username: 'a', password: 'x\u2028y' }, 'characters'],
    ['a password with DEL', { username: 'a', password: 'x\u007f' }, 'characters'],
    ['a username of spaces', { username: '  ', password: 'x' }, 'invisible'],
    ['a password of one space', { username: 'a', password: ' ' }, 'invisible'],
    ['a password of zero-width spaces', { username: 'a', password: '\u200b\u200b' }, 'invisible'],
    ['a username of a byte-order mark', { username: '\ufeff', password: 'x' }, 'invisible'],
    ['a password of no-break spaces', { username: 'a', password: '\u00a0\u3000' }, 'invisible'],
    ['a password of a tab: invisible before it is a control character', { username: 'a', password: '\t' }, 'invisible'],
    ['a password of a newline: invisible too', { username: 'a', password: '\n' }, 'invisible'],
    ['a password of U+2028: invisible too', { username: 'a', password: '\u2028' }, 'invisible'],
    ['a placeholder made of spaces: the placeholder comes first', { username: 'a', password: ' null ' }, 'placeholder'],
    ['spaces around a visible password', { username: ' a ', password: ' x ' }, undefined],
    ['a zero-width space beside a visible character', { username: 'a', password: '\u200bx' }, undefined],
  ])('%s: %p', (_case, pair, problem) => {
    expect(credentialsProblem(pair)).toBe(problem);
  });
});
