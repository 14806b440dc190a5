import { createHash } from 'node:crypto';
import type { JambonzAuthReason } from './jambonz-auth.error.js';
import { parseSignatureHeader, SIGNATURE_HEADER_LIMITS } from './signature-header.js';

const T = '1715000000';
/** Distinct, well-formed v1 values (64 lowercase hex digits). */
const hex = (seed: string) => createHash('sha256').update(seed).digest('hex');
const A = hex('a');
const B = hex('b');

const refusal = (reason: JambonzAuthReason) => expect.objectContaining({ name: 'JambonzAuthError', reason });

/** The parse result with its signatures back in hex, for readable comparisons. */
function parsed(header: Parameters<typeof parseSignatureHeader>[0]) {
  const { timestampText, timestamp, signatures } = parseSignatureHeader(header);
  return { timestampText, timestamp, signatures: signatures.map((signature) => signature.toString('hex')) };
}

describe('parseSignatureHeader', () => {
  describe('accepts', () => {
    it.each<[string, string | string[], string[]]>([
      ["jambonz's own form", `t=${T},v1=${A}`, [A]],
      ['spaces after commas (a proxy rejoining headers)', `t=${T}, v1=${A}`, [A]],
      ['tabs after commas', `t=${T},\tv1=${A}`, [A]],
      ['spaces and tabs around every element', ` \tt=${T} ,\t v1=${A}\t `, [A]],
      ['v1 before t', `v1=${A},t=${T}`, [A]],
      ['unknown schemes, which are ignored', `t=${T},v0=${B},v1=${A},v2=whatever,x9=`, [A]],
      ['several v1, kept in header order', `t=${T},v1=${B},v1=${A}`, [B, A]],
      ['a duplicate v1, kept once', `t=${T},v1=${A},v1=${A}`, [A]],
      ['the header sent twice with the same t, joined by ", "', `t=${T},v1=${A}, t=${T},v1=${A}`, [A]],
      ['two header lines as an array, joined like Node does', [`t=${T},v1=${A}`, `t=${T},v1=${B}`], [A, B]],
    ])('%s', (_case, header, signatures) => {
      expect(parsed(header)).toEqual({ timestampText: T, timestamp: Number(T), signatures });
    });

    // jambonz signs `<t>.<body>` with t as sent: the digits must come back untouched.
    it.each([
      ['0', 0],
      ['0000000042', 42],
      ['9999999999', 9_999_999_999],
    ])('t=%s, keeping the received digits as the signed text', (digits, timestamp) => {
      expect(parsed(`t=${digits},v1=${A}`)).toEqual({ timestampText: digits, timestamp, signatures: [A] });
    });

    it('each signature as its 32 bytes', () => {
      expect(parseSignatureHeader(`t=${T},v1=${A}`).signatures).toEqual([Buffer.from(A, 'hex')]);
    });
  });

  describe('refuses with missing_signature', () => {
    it.each<[string, unknown]>([
      ['undefined', undefined],
      ['null', null],
      ['an empty string', ''],
      ['only spaces', '   '],
      ['only a tab', '\t'],
      ['an empty array', []],
    ])('%s', (_case, header) => {
      expect(() => parseSignatureHeader(header as string)).toThrow(refusal('missing_signature'));
    });
  });

  describe('refuses with malformed_signature', () => {
    const v1 = `v1=${'a'.repeat(64)}`;
    it.each<[string, unknown[]]>([
      ['a Symbol', [`t=${T}`, Symbol('line'), v1]],
      [
        'an object whose toString throws',
        [
          `t=${T}`,
          {
            toString: () => {
              throw new RangeError('boom');
            },
          },
        ],
      ],
      ['a nested array', [[`t=${T}`], v1]],
      ['a number', [`t=${T}`, 1, v1]],
    ])('an array of header lines holding %s', (_case, lines) => {
      expect(() => parseSignatureHeader(lines as string[])).toThrow(refusal('malformed_signature'));
    });

    it.each<[string, string | string[]]>([
      ['no t', `v1=${A}`],
      ['no v1', `t=${T}`],
      ['only an unknown scheme carrying the signature', `t=${T},v0=${A}`],
      ['t with letters', `t=17150000a0,v1=${A}`],
      ['t with a fraction', `t=1.5,v1=${A}`],
      ['t with a plus sign', `t=+1,v1=${A}`],
      ['t with a minus sign', `t=-1,v1=${A}`],
      ['t with an exponent', `t=1e9,v1=${A}`],
      ['t in hex', `t=0x10,v1=${A}`],
      ['t in non-ASCII digits', `t=１７１５０００,v1=${A}`],
      ['an empty t', `t=,v1=${A}`],
      ['t of 11 digits', `t=17150000000,v1=${A}`],
      ['t with a space inside the element', `t= ${T},v1=${A}`],
      ['two different t in one header', `t=${T},v1=${A},t=1715000001`],
      ['the header sent twice with different t', `t=${T},v1=${A}, t=1715000001,v1=${A}`],
      ['two header lines with different t', [`t=${T},v1=${A}`, `t=1715000001,v1=${A}`]],
      ['v1 of 63 hex digits', `t=${T},v1=${A.slice(1)}`],
      ['v1 of 65 hex digits', `t=${T},v1=${A}0`],
      ['v1 in uppercase hex', `t=${T},v1=${A.toUpperCase()}`],
      ['v1 with a non-hex digit', `t=${T},v1=${A.slice(1)}g`],
      ['an empty v1', `t=${T},v1=`],
      ['a valid v1 next to a bad one', `t=${T},v1=${A},v1=xyz`],
      ['an element without =', `t=${T},v1=${A},v1`],
      ['an element that is only =', `t=${T},=,v1=${A}`],
      ['an element with an empty key', `t=${T},=${A},v1=${A}`],
      ['an empty element', `t=${T},,v1=${A}`],
      ['a trailing comma', `t=${T},v1=${A},`],
      ['a leading comma', `,t=${T},v1=${A}`],
      ['a key with a dash', `t=${T},v-1=x,v1=${A}`],
      ['a key with an underscore', `t=${T},v_1=x,v1=${A}`],
      ['a key with a space before =', `t=${T},v1 =${A}`],
      ['a key with a non-ASCII letter', `t=${T},vé=x,v1=${A}`],
      ['elements separated by semicolons', `t=${T};v1=${A}`],
      ['a newline as the separator', `t=${T},\nv1=${A}`],
      // Moving the start of the body into t keeps `<t>.<body>` identical: t must be digits only.
      ['a body prefix moved into t', `t=${T}.{"call_sid":"abc,v1=${A}`],
    ])('%s', (_case, header) => {
      expect(() => parseSignatureHeader(header)).toThrow(refusal('malformed_signature'));
    });
  });

  describe('reads v1 as 64 lowercase hex digits', () => {
    const EVERY_DIGIT = '0123456789abcdef'.repeat(4);

    // In EVERY_DIGIT the even digits are all high nibbles and the odd ones all low: shifted by
    // one, each digit takes the other place.
    it.each([EVERY_DIGIT, EVERY_DIGIT.slice(1) + EVERY_DIGIT[0]])(
      'decodes every digit, high and low, to its value (%s)',
      (v1) => {
        expect(parseSignatureHeader(`t=${T},v1=${v1}`).signatures).toEqual([Buffer.from(v1, 'hex')]);
      },
    );

    // The characters just outside each digit range, those between the two ranges (':' to '`',
    // uppercase included) and past ASCII, in a high and in a low position of a byte.
    const outside = ['/', ':', '@', 'A', 'F', 'G', 'W', '_', '`', 'g', ' ', '\u0080', 'é', '\u0130'];
    it.each(outside.flatMap((c) => [0, 1, 62, 63].map((at) => [c, at] as const)))('refuses %j at digit %d', (c, at) => {
      const v1 = EVERY_DIGIT.slice(0, at) + c + EVERY_DIGIT.slice(at + 1);
      expect(() => parseSignatureHeader(`t=${T},v1=${v1}`)).toThrow(refusal('malformed_signature'));
    });
  });

  describe('caps the work spent on one header', () => {
    const { maxLength, maxElements, maxSignatures } = SIGNATURE_HEADER_LIMITS;
    const base = `t=${T},v1=${A}`;
    /** A valid header padded with an ignored element to exactly `length` characters. */
    const ofLength = (length: number) => `${base},v0=${'0'.repeat(length - base.length - 4)}`;
    /** A valid header with `count` elements in all, the extra ones ignored. */
    const withElements = (count: number) => [base, ...Array.from({ length: count - 2 }, () => 'v0=0')].join(',');
    /** A header carrying `count` distinct v1 values. */
    const withSignatures = (count: number) =>
      [`t=${T}`, ...Array.from({ length: count }, (_, i) => `v1=${hex(String(i))}`)].join(',');

    it('keeps the caps jambonz traffic never comes near', () => {
      expect(SIGNATURE_HEADER_LIMITS).toEqual({ maxLength: 1024, maxElements: 16, maxSignatures: 8, maxTimestampDigits: 10 });
      expect(Object.isFrozen(SIGNATURE_HEADER_LIMITS)).toBe(true);
    });

    it.each([
      ['a header of exactly maxLength characters', ofLength(maxLength)],
      ['exactly maxElements elements', withElements(maxElements)],
      ['exactly maxSignatures distinct v1', withSignatures(maxSignatures)],
      ['maxSignatures distinct v1 plus a duplicate', `${withSignatures(maxSignatures)},v1=${hex('0')}`],
    ])('accepts %s', (_case, header) => {
      expect(() => parseSignatureHeader(header)).not.toThrow();
    });

    // Each input names the cap that refuses it, and the message proves that cap fired.
    it.each<[string, string | string[], string]>([
      ['a header one character over maxLength', ofLength(maxLength + 1), `longer than ${maxLength} characters`],
      ['an 8 KB header', ofLength(8 * 1024), `longer than ${maxLength} characters`],
      ['two header lines whose join is over maxLength', [ofLength(600), ofLength(600)], `longer than ${maxLength} characters`],
      ['one element over maxElements', withElements(maxElements + 1), `more than ${maxElements} elements`],
      // Hundreds of entries do not fit in maxLength: refused before any element is looked at.
      ['hundreds of entries', withElements(200), `longer than ${maxLength} characters`],
      ['one v1 over maxSignatures', withSignatures(maxSignatures + 1), `more than ${maxSignatures} v1 signatures`],
    ])('refuses %s with malformed_signature', (_case, header, detail) => {
      expect(() => parseSignatureHeader(header)).toThrow(refusal('malformed_signature'));
      expect(() => parseSignatureHeader(header)).toThrow(`malformed_signature: ${detail}`);
    });
  });
});
