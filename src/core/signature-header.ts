import { JambonzAuthError } from './jambonz-auth.error.js';

/**
 * Caps on the work spent parsing one `Jambonz-Signature` header. jambonz sends about 80
 * characters (`t=` + 10 digits + `,v1=` + 64 hex); the caps leave room for several schemes and
 * for a header sent twice, and refuse anything larger before splitting it.
 */
export const SIGNATURE_HEADER_LIMITS = Object.freeze({
  /** Longest header accepted, in characters (Node gives headers as latin1: one char per byte). */
  maxLength: 1024,
  /** Most comma-separated `key=value` elements accepted. */
  maxElements: 16,
  /** Most distinct `v1` signatures accepted (each costs one constant-time compare per secret). */
  maxSignatures: 8,
  /** Most digits in `t`: 10 digits reach the year 2286. */
  maxTimestampDigits: 10,
});

/** The largest `t` the header can carry: {@link SIGNATURE_HEADER_LIMITS}.maxTimestampDigits nines. */
export const MAX_SIGNATURE_TIMESTAMP = 10 ** SIGNATURE_HEADER_LIMITS.maxTimestampDigits - 1;

/** True when `t` is whole Unix seconds that {@link parseSignatureHeader} would accept (0 to {@link MAX_SIGNATURE_TIMESTAMP}). */
export function isSignableTimestamp(t: number): boolean {
  return Number.isSafeInteger(t) && t >= 0 && t <= MAX_SIGNATURE_TIMESTAMP;
}

/** A parsed `Jambonz-Signature` header. */
export interface JambonzSignatureHeader {
  /** `t` exactly as received: the digits that jambonz put in front of the body when signing. */
  readonly timestampText: string;
  /** `t` as a number: Unix time in seconds. */
  readonly timestamp: number;
  /**
   * Every distinct `v1` value, hex-decoded: 32 bytes each, in header order. Each may be a view of
   * Node's shared buffer pool: copy it (`Buffer.from(signature)`) to keep it, never read its `.buffer`.
   */
  readonly signatures: readonly Buffer[];
}

/**
 * Parses a `Jambonz-Signature` header strictly.
 *
 * Grammar (jambonz copied Stripe's format): elements `key=value` separated by commas, each
 * optionally surrounded by spaces or tabs (proxies rejoin headers with `", "`). Exactly one
 * distinct `t`, of 1 to 10 ASCII digits. At least one `v1`, each exactly 64 lowercase hex
 * digits (HMAC-SHA256). Other keys (`v0`, `v2`...) are ignored, as Stripe and jambonz specify.
 * The same header sent twice arrives joined by `", "` and parses like one header when both
 * copies carry the same `t`; two different `t` values are refused.
 *
 * Strictness matters beyond tidiness: jambonz signs `<t>.<body>`, so a parser that let `t`
 * contain anything but digits would let a sender move a prefix of the body into `t` while the
 * signed bytes stayed identical.
 *
 * @param header the header value; an array (several header lines) is joined with `", "` as
 *   Node does.
 * @throws JambonzAuthError `missing_signature` when the header is absent or empty;
 *   `malformed_signature` when it breaks the grammar or a cap in {@link SIGNATURE_HEADER_LIMITS}.
 *   Never anything else, whatever the input.
 */
export function parseSignatureHeader(header: string | readonly string[] | undefined | null): JambonzSignatureHeader {
  if (Array.isArray(header) && !header.every((line) => typeof line === 'string')) {
    // join would flatten a nested array, and throw on a Symbol or on an object whose toString throws.
    throw malformed('a header line is not a string');
  }
  const value = Array.isArray(header) ? header.join(', ') : header;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new JambonzAuthError('missing_signature');
  }
  if (value.length > SIGNATURE_HEADER_LIMITS.maxLength) {
    throw malformed(`longer than ${SIGNATURE_HEADER_LIMITS.maxLength} characters`);
  }
  // One pass over the characters, without split, regex or intermediate arrays: this runs on every
  // request, and for a 4 KB body its cost is a fair share of the HMAC's.
  let timestampText: string | undefined;
  const signatures: Buffer[] = [];
  let elements = 0;
  for (let start = 0; start <= value.length;) {
    let end = value.indexOf(',', start);
    if (end === -1) end = value.length;
    if (++elements > SIGNATURE_HEADER_LIMITS.maxElements) {
      throw malformed(`more than ${SIGNATURE_HEADER_LIMITS.maxElements} elements`);
    }
    let from = start;
    let to = end;
    while (from < to && isOws(value.charCodeAt(from))) from++;
    while (to > from && isOws(value.charCodeAt(to - 1))) to--;
    const eq = value.indexOf('=', from);
    if (eq === -1 || eq === from || eq >= to) {
      throw malformed('an element is not key=value');
    }
    if (!isKey(value, from, eq)) {
      throw malformed('an element has an invalid key');
    }
    const keyLength = eq - from;
    const valueLength = to - eq - 1;
    if (keyLength === 1 && value.charCodeAt(from) === 0x74 /* t */) {
      if (valueLength === 0 || valueLength > SIGNATURE_HEADER_LIMITS.maxTimestampDigits || !isDigits(value, eq + 1, to)) {
        throw malformed('t is not 1 to 10 digits');
      }
      const digits = value.slice(eq + 1, to);
      if (timestampText !== undefined && timestampText !== digits) {
        throw malformed('two different t values');
      }
      timestampText = digits;
    } else if (keyLength === 2 && value.charCodeAt(from) === 0x76 /* v */ && value.charCodeAt(from + 1) === 0x31 /* 1 */) {
      const signature = valueLength === 64 ? decodeSignature(value, eq + 1) : undefined;
      if (signature === undefined) {
        throw malformed('v1 is not 64 lowercase hex digits');
      }
      if (!signatures.some((known) => known.equals(signature))) {
        if (signatures.length === SIGNATURE_HEADER_LIMITS.maxSignatures) {
          throw malformed(`more than ${SIGNATURE_HEADER_LIMITS.maxSignatures} v1 signatures`);
        }
        signatures.push(signature);
      }
    }
    start = end + 1;
  }
  if (timestampText === undefined) {
    throw malformed('no t');
  }
  if (signatures.length === 0) {
    throw malformed('no v1');
  }
  return { timestampText, timestamp: Number(timestampText), signatures };
}

function malformed(detail: string): JambonzAuthError {
  return new JambonzAuthError('malformed_signature', detail);
}

// The character-class checks below are written out loop by loop: a shared loop taking a predicate
// ran about three times slower, since V8 does not inline the callback here.

/** RFC 9110 OWS: space or horizontal tab. */
function isOws(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

/** True when `text[from, to)` is ASCII digits. */
function isDigits(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/**
 * The 32 bytes that the 64 characters of `text` from `from` spell in lowercase hex, or
 * `undefined` when one of them is not a lowercase hex digit. Decoded here, while they are
 * checked: `Buffer.from(hex, 'hex')` cost half the parse's time, and stops at the first bad digit
 * instead of refusing it.
 */
function decodeSignature(text: string, from: number): Buffer | undefined {
  // Every byte is written before the buffer is returned, so unzeroed memory never shows.
  const bytes = Buffer.allocUnsafe(32);
  for (let i = 0; i < 32; i++) {
    const high = lowerHexDigit(text.charCodeAt(from + 2 * i));
    const low = lowerHexDigit(text.charCodeAt(from + 2 * i + 1));
    if (high < 0 || low < 0) return undefined;
    bytes[i] = (high << 4) | low;
  }
  return bytes;
}

/** Each ASCII code's value as a lowercase hex digit (0 to 15), or -1: one lookup per character. */
const LOWER_HEX_DIGITS = new Int8Array(128).fill(-1);
[...'0123456789abcdef'].forEach((digit, value) => (LOWER_HEX_DIGITS[digit.charCodeAt(0)] = value));

/** The value of a lowercase hex digit's char code (0 to 15), or -1 for any other code. */
function lowerHexDigit(code: number): number {
  return LOWER_HEX_DIGITS[code] ?? -1;
}

/** True when `text[from, to)` is a key: ASCII letters and digits (`t`, `v1`, Stripe's other schemes). */
function isKey(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a))) return false;
  }
  return true;
}
