import { logSafe, MAX_LOGGED_CHARACTERS } from './log-safe.util.js';

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
    ['LEFT-TO-RIGHT MARK (U+200E)', '\u200e'],
    ['RIGHT-TO-LEFT MARK (U+200F)', '\u200f'],
    ['LEFT-TO-RIGHT EMBEDDING (U+202A)', '\u202a'],
    ['RIGHT-TO-LEFT OVERRIDE (U+202E)', '\u202e'],
    ['LEFT-TO-RIGHT ISOLATE (U+2066)', '\u2066'],
    ['POP DIRECTIONAL ISOLATE (U+2069)', '\u2069'],
  ])('escapes %s, wherever it is', (_case, c) => {
    const code = escaped(c);
    expect(code).toMatch(/^\\u[0-9a-f]{4}$/);
    expect(logSafe(`${c}a${c}b${c}`)).toBe(`${code}a${code}b${code}`);
  });

  it.each<[string, string]>([
    ['a space, just after the C0 controls', ' '],
    ['a tilde, just before DEL', '~'],
    ['NO-BREAK SPACE, just after the C1 controls', '\u00a0'],
    ['ZERO WIDTH JOINER (U+200D), just before the marks', '\u200d'],
    ['HYPHENATION POINT (U+2027), just before the separators', '\u2027'],
    ['NARROW NO-BREAK SPACE (U+202F), just after the embeddings', '\u202f'],
    ['U+2065, just before the isolates', '\u2065'],
    ['U+206A, just after the isolates', '\u206a'],
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
});
