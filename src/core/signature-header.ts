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

/** A parsed `Jambonz-Signature` header. */
export interface JambonzSignatureHeader {
  /** `t` exactly as received: the digits that jambonz put in front of the body when signing. */
  readonly timestampText: string;
  /** `t` as a number: Unix time in seconds. */
  readonly timestamp: number;
  /** Every distinct `v1` value, hex-decoded: 32 bytes each, in header order. */
  readonly signatures: readonly Buffer[];
}

const TIMESTAMP = /^[0-9]+$/;
const V1 = /^[0-9a-f]{64}$/;
const KEY = /^[0-9A-Za-z]+$/;

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
  const value = Array.isArray(header) ? header.join(', ') : header;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new JambonzAuthError('missing_signature');
  }
  if (value.length > SIGNATURE_HEADER_LIMITS.maxLength) {
    throw malformed(`longer than ${SIGNATURE_HEADER_LIMITS.maxLength} characters`);
  }
  const elements = value.split(',');
  if (elements.length > SIGNATURE_HEADER_LIMITS.maxElements) {
    throw malformed(`more than ${SIGNATURE_HEADER_LIMITS.maxElements} elements`);
  }

  let timestampText: string | undefined;
  const hexSignatures: string[] = [];
  for (const raw of elements) {
    const element = trimOws(raw);
    const eq = element.indexOf('=');
    if (eq <= 0) {
      throw malformed('an element is not key=value');
    }
    const key = element.slice(0, eq);
    const val = element.slice(eq + 1);
    if (!KEY.test(key)) {
      throw malformed('an element has an invalid key');
    }
    if (key === 't') {
      if (val.length > SIGNATURE_HEADER_LIMITS.maxTimestampDigits || !TIMESTAMP.test(val)) {
        throw malformed('t is not 1 to 10 digits');
      }
      if (timestampText !== undefined && timestampText !== val) {
        throw malformed('two different t values');
      }
      timestampText = val;
    } else if (key === 'v1') {
      if (!V1.test(val)) {
        throw malformed('v1 is not 64 lowercase hex digits');
      }
      if (!hexSignatures.includes(val)) {
        if (hexSignatures.length === SIGNATURE_HEADER_LIMITS.maxSignatures) {
          throw malformed(`more than ${SIGNATURE_HEADER_LIMITS.maxSignatures} v1 signatures`);
        }
        hexSignatures.push(val);
      }
    }
  }
  if (timestampText === undefined) {
    throw malformed('no t');
  }
  if (hexSignatures.length === 0) {
    throw malformed('no v1');
  }
  return {
    timestampText,
    timestamp: Number(timestampText),
    signatures: hexSignatures.map((hex) => Buffer.from(hex, 'hex')),
  };
}

function malformed(detail: string): JambonzAuthError {
  return new JambonzAuthError('malformed_signature', detail);
}

/** Strips optional whitespace (RFC 9110 OWS: spaces and horizontal tabs) from both ends. */
function trimOws(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isOws(text.charCodeAt(start))) start++;
  while (end > start && isOws(text.charCodeAt(end - 1))) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

function isOws(code: number): boolean {
  return code === 0x20 || code === 0x09;
}
