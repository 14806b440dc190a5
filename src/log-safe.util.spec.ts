import { runInNewContext } from 'node:vm';
import { JambonzAuthError } from './core/jambonz-auth.error.js';
import { describeError, logSafe, MAX_LOGGED_CHARACTERS, neutralise } from './log-safe.util.js';

/** The visible escape a neutralised character becomes. */
const escaped = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

describe('logSafe', () => {
  it('leaves printable text alone, non-ASCII included', () => {
    expect(logSafe('POST /jambonz/call-status ~ é 王 📞 \u00a0\u00ff')).toBe('POST /jambonz/call-status ~ é 王 📞 \u00a0\u00ff');
    expect(logSafe('')).toBe('');
  });

  it('turns CR and LF into visible escapes, so a sender cannot start a forged log line', () => {
    expect(logSafe('/call\r\nwarn [JambonzAuthGuard] forged')).toBe('/call\\u000d\\u000awarn [JambonzAuthGuard] forged');
  });

  it('turns the ESC of an ANSI sequence into a visible escape, so a sender cannot drive a terminal', () => {
    expect(logSafe('\u001b[31mred\u001b[0m')).toBe('\\u001b[31mred\\u001b[0m');
  });

  it.each<[string, string]>([
    ['NUL, the first C0 control', '\u0000'],
    ['TAB', '\t'],
    ['U+001F, the last C0 control', '\u001f'],
    ['DEL', '\u007f'],
    ['U+0080, the first C1 control', '\u0080'],
    ['NEL (U+0085), a line break for some viewers', '\u0085'],
    ['U+009F, the last C1 control', '\u009f'],
    ['LINE SEPARATOR (U+2028)', '\u2028'],
    ['PARAGRAPH SEPARATOR (U+2029)', '\u2029'],
    ['ARABIC LETTER MARK (U+061C)', '\u061c'],
    ['ZERO WIDTH SPACE (U+200B), the first zero-width character', '\u200b'],
    ['ZERO WIDTH NON-JOINER (U+200C)', '\u200c'],
    ['ZERO WIDTH JOINER (U+200D)', '\u200d'],
    ['LEFT-TO-RIGHT MARK (U+200E)', '\u200e'],
    ['RIGHT-TO-LEFT MARK (U+200F)', '\u200f'],
    ['LEFT-TO-RIGHT EMBEDDING (U+202A)', '\u202a'],
    ['RIGHT-TO-LEFT OVERRIDE (U+202E)', '\u202e'],
    ['WORD JOINER (U+2060), the first invisible operator', '\u2060'],
    ['INVISIBLE PLUS (U+2064)', '\u2064'],
    ['U+2065, unassigned between the invisible operators and the isolates', '\u2065'],
    ['LEFT-TO-RIGHT ISOLATE (U+2066)', '\u2066'],
    ['POP DIRECTIONAL ISOLATE (U+2069)', '\u2069'],
    ['the BYTE ORDER MARK (U+FEFF), a zero-width no-break space', '\ufeff'],
    ['a lone high surrogate (U+D800)', '\ud800'],
    ['a lone high surrogate (U+DBFF)', '\udbff'],
    ['a lone low surrogate (U+DC00)', '\udc00'],
    ['a lone low surrogate (U+DFFF)', '\udfff'],
  ])('escapes %s, wherever it is', (_case, c) => {
    const code = escaped(c);
    expect(code).toMatch(/^\\u[0-9a-f]{4}$/);
    expect(logSafe(`${c}a${c}b${c}`)).toBe(`${code}a${code}b${code}`);
  });

  it.each<[string, string]>([
    ['a space, just after the C0 controls', ' '],
    ['a tilde, just before DEL', '~'],
    ['NO-BREAK SPACE, just after the C1 controls', '\u00a0'],
    ['ARABIC SEMICOLON (U+061B), just before the Arabic letter mark', '\u061b'],
    ['ARABIC TRIPLE DOT PUNCTUATION MARK (U+061D), just after it', '\u061d'],
    ['HAIR SPACE (U+200A), just before the zero-width characters', '\u200a'],
    ['HYPHEN (U+2010), just after the marks', '\u2010'],
    ['HYPHENATION POINT (U+2027), just before the separators', '\u2027'],
    ['NARROW NO-BREAK SPACE (U+202F), just after the embeddings', '\u202f'],
    ['MEDIUM MATHEMATICAL SPACE (U+205F), just before the word joiner', '\u205f'],
    ['U+206A, just after the isolates', '\u206a'],
    ['U+FEFE, just before the byte order mark', '\ufefe'],
    ['U+FF01 (FULLWIDTH EXCLAMATION MARK), past it', '\uff01'],
    ['a surrogate pair (an emoji)', '\ud83d\udcde'],
    ['the first surrogate pair (U+10000)', '\ud800\udc00'],
    ['the last surrogate pair (U+10FFFF)', '\udbff\udfff'],
  ])('keeps %s', (_case, c) => {
    expect(logSafe(`a${c}b`)).toBe(`a${c}b`);
  });

  it('cuts a long value to MAX_LOGGED_CHARACTERS (200), marking the cut', () => {
    expect(MAX_LOGGED_CHARACTERS).toBe(200);
    const longest = 'x'.repeat(200);
    expect(logSafe(longest)).toBe(longest);
    expect(logSafe(`${longest}y`)).toBe(`${longest}...`);
    expect(logSafe('z'.repeat(5000))).toBe(`${'z'.repeat(200)}...`);
  });

  it('cuts before escaping: 200 characters of the value, each control one escape', () => {
    expect(logSafe(`${'a'.repeat(199)}\n${'b'.repeat(10)}`)).toBe(`${'a'.repeat(199)}\\u000a...`);
    expect(logSafe('\n'.repeat(201))).toBe(`${'\\u000a'.repeat(200)}...`);
  });

  it('escapes only the surrogates that are not part of a pair', () => {
    expect(logSafe('\ud800\ud83d\udcde')).toBe('\\ud800\ud83d\udcde');
    expect(logSafe('\ud83d\udcde\udc00')).toBe('\ud83d\udcde\\udc00');
    expect(logSafe('\udc00\ud800')).toBe('\\udc00\\ud800');
    expect(logSafe('a\ud800')).toBe('a\\ud800');
    expect(logSafe('\udfffa')).toBe('\\udfffa');
  });

  it('escapes the half of a surrogate pair that the cut leaves alone', () => {
    expect(logSafe(`${'a'.repeat(199)}\ud83d\udcde`)).toBe(`${'a'.repeat(199)}\\ud83d...`);
    expect(logSafe(`${'a'.repeat(198)}\ud83d\udcde`)).toBe(`${'a'.repeat(198)}\ud83d\udcde`);
  });

  describe('never throws, describing a value that is not a string first', () => {
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    it.each<[string, unknown, string]>([
      ['a number', 42, '42'],
      ['NaN', Number.NaN, 'NaN'],
      ['a bigint', 10n, '10'],
      ['true', true, 'true'],
      ['undefined', undefined, 'undefined'],
      ['null', null, '[object Null]'],
      ['a symbol', Symbol('boom\n'), 'Symbol(boom\\u000a)'],
      ['a plain object, never by its own toString', { toString: () => 'forged\nline' }, '[object Object]'],
      [
        'an object whose toString throws',
        {
          toString() {
            throw new Error('no');
          },
        },
        '[object Object]',
      ],
      ['an object without a prototype', Object.create(null), '[object Object]'],
      ['an array', ['a\nb'], '[object Array]'],
      ['a function', () => 'x', '[object Function]'],
      ['an Error, by its tag', new Error('message'), '[object Error]'],
      ['a Date', new Date(0), '[object Date]'],
      ['an object with a tag', { [Symbol.toStringTag]: 'Tag\u001b' }, '[object Tag\\u001b]'],
      [
        'an object whose tag getter throws',
        Object.defineProperty({}, Symbol.toStringTag, {
          get: () => {
            throw new Error('no tag');
          },
        }),
        '(unprintable)',
      ],
      ['a revoked Proxy', revoked.proxy, '(unprintable)'],
    ])('%s', (_case, value, text) => {
      expect(logSafe(value)).toBe(text);
    });

    it('cuts a long tag like any text', () => {
      expect(logSafe({ [Symbol.toStringTag]: 'T'.repeat(300) })).toBe(`[object ${'T'.repeat(192)}...`);
    });
  });
});

describe('describeError', () => {
  class CustomError extends Error {
    override readonly name = 'CustomError';
  }
  class UnnamedError extends Error {}
  const revoked = Proxy.revocable(new Error('hidden'), {});
  revoked.revoke();

  it.each<[string, unknown, string]>([
    ['a plain Error, by its message alone', new Error('database unreachable'), 'database unreachable'],
    ['an Error with an empty message', new Error(''), ''],
    ['a TypeError, with its name', new TypeError('x is not a function'), 'TypeError: x is not a function'],
    ['a RangeError, with its name', new RangeError('out of range'), 'RangeError: out of range'],
    ['an Error subclass with its own name', new CustomError('failed'), 'CustomError: failed'],
    ["an Error subclass that keeps Error's name", new UnnamedError('failed'), 'failed'],
    ["the module's own error", new JambonzAuthError('no_secret'), 'JambonzAuthError: no_secret'],
    ['an Error whose name was set to a number', Object.assign(new Error('m'), { name: 42 }), '42: m'],
    ['an Error whose name was emptied', Object.assign(new Error('m'), { name: '' }), ': m'],
    ['an Error whose message is not a string', Object.assign(new Error(), { message: 404 }), '404'],
    [
      'an Error whose message is an object without a prototype',
      Object.assign(new Error(), { message: Object.create(null) }),
      '[object Object]',
    ],
    [
      'an Error whose message is an object with a lying toString',
      Object.assign(new Error(), { message: { toString: () => 'forged' } }),
      '[object Object]',
    ],
    ['a string', 'plain text', 'plain text'],
    ['a number', 503, '503'],
    ['undefined', undefined, 'undefined'],
    ['null', null, '[object Null]'],
    ['a symbol', Symbol('thrown'), 'Symbol(thrown)'],
    ['a plain object', { message: 'not read' }, '[object Object]'],
    // An error from another realm (a vm context, a worker's structured clone) is not instanceof Error here.
    ['an Error of another realm, by its tag', runInNewContext('new Error("elsewhere")'), '[object Error]'],
  ])('describes %s', (_case, error, text) => {
    expect(describeError(error)).toBe(text);
  });

  it('neutralises what it describes, message and name alike', () => {
    expect(describeError(new Error('bad\r\nwarn [JambonzAuthGuard] forged'))).toBe(
      'bad\\u000d\\u000awarn [JambonzAuthGuard] forged',
    );
    expect(describeError(Object.assign(new Error('m'), { name: 'Evil\u001b[2J' }))).toBe('Evil\\u001b[2J: m');
    expect(describeError('line\u2028break')).toBe('line\\u2028break');
  });

  it('cuts the name and message together to MAX_LOGGED_CHARACTERS', () => {
    expect(describeError(new TypeError('m'.repeat(300)))).toBe(`TypeError: ${'m'.repeat(189)}...`);
    expect(describeError(new Error('m'.repeat(300)))).toBe(`${'m'.repeat(200)}...`);
  });

  it.each<[string, unknown]>([
    [
      'an Error whose message getter throws',
      Object.defineProperty(new Error(), 'message', {
        get: () => {
          throw new Error('no message');
        },
      }),
    ],
    [
      'an Error whose name getter throws',
      Object.defineProperty(new Error('m'), 'name', {
        get: () => {
          throw new Error('no name');
        },
      }),
    ],
    [
      'a Proxy whose getPrototypeOf trap throws',
      new Proxy(
        {},
        {
          getPrototypeOf: () => {
            throw new Error('trap');
          },
        },
      ),
    ],
    ['a revoked Proxy', revoked.proxy],
  ])('never throws, even for %s', (_case, error) => {
    expect(describeError(error)).toBe('an error that cannot be described');
  });

  it('describes a Proxy of an Error through it, as the Error it stands for', () => {
    expect(describeError(new Proxy(new TypeError('proxied'), {}))).toBe('TypeError: proxied');
  });
});

describe('neutralise', () => {
  it('escapes what logSafe escapes, without cutting', () => {
    const long = `${'x'.repeat(300)}\r\n\u001b[31m`;
    expect(neutralise(long)).toBe(`${'x'.repeat(300)}\\u000d\\u000a\\u001b[31m`);
  });
});
