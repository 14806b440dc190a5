import { nowInSeconds } from './clock.js';
import { computeSignature, type WebhookBody } from './compute-signature.js';
import { constantTimeEqual } from './constant-time.js';
import { JambonzAuthError } from './jambonz-auth.error.js';
import { parseSignatureHeader, type JambonzSignatureHeader } from './signature-header.js';

/** Default tolerance: how far `t` may be from now, in seconds, in the past or the future. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** Options of {@link verifySignature}. */
export interface VerifySignatureOptions {
  /**
   * How far `t` may be from now, in seconds, either way. Default
   * {@link DEFAULT_TOLERANCE_SECONDS} (300, as Stripe). jambonz retries a failed delivery with
   * the same header for about 75 s, so keep it above that.
   */
  tolerance?: number;
  /** The current Unix time in seconds (fractions allowed). Default: the system clock. */
  now?: number;
}

/** What a successful {@link verifySignature} learned. */
export interface VerifiedSignature {
  /** `t` from the header: when jambonz signed the request, in Unix seconds. */
  readonly timestamp: number;
  /** Position in `secrets` of the secret that matched (0 for a single secret). */
  readonly secretIndex: number;
  /**
   * The `v1` that matched, decoded: 32 bytes. Unique per signed request (replay protection keys on
   * it). May be a view of Node's shared buffer pool: copy it to keep it, never read its `.buffer`.
   */
  readonly signature: Buffer;
}

/**
 * Verifies a `Jambonz-Signature` header against the exact body bytes.
 *
 * In order: strict header parse ({@link parseSignatureHeader}); `t` within `tolerance` of now in
 * both directions (jambonz's own helpers accept any future time); then, for each secret, the
 * HMAC of `<t>.<body>` compared in constant time with every `v1` in the header. Any match
 * passes: several secrets support rotation, several `v1` follow Stripe's format.
 *
 * @param body the body exactly as received: bytes, or a string taken as UTF-8.
 * @param header the `Jambonz-Signature` header value (an array is joined with `", "`).
 * @param secrets one webhook secret or several (rotation); each used exactly as given.
 * @throws JambonzAuthError `missing_signature`, `malformed_signature`,
 *   `timestamp_out_of_tolerance` or `signature_mismatch`.
 * @throws TypeError on a programming error: `secrets` empty or not strings, `body` neither a
 *   string nor bytes, `tolerance` not a positive finite number.
 */
export function verifySignature(
  body: WebhookBody,
  header: string | readonly string[] | undefined | null,
  secrets: string | readonly string[],
  options: VerifySignatureOptions = {},
): VerifiedSignature {
  return verifyParsedSignature(body, parseSignatureHeader(header), secrets, options);
}

/**
 * {@link verifySignature} for a header already parsed with {@link parseSignatureHeader}: lets a
 * caller refuse a missing or malformed header before it reads the body.
 *
 * @throws JambonzAuthError `timestamp_out_of_tolerance` or `signature_mismatch`.
 * @throws TypeError as {@link verifySignature}.
 */
export function verifyParsedSignature(
  body: WebhookBody,
  header: JambonzSignatureHeader,
  secrets: string | readonly string[],
  options: VerifySignatureOptions = {},
): VerifiedSignature {
  const keys = typeof secrets === 'string' ? [secrets] : secrets;
  assertArguments(body, keys, options.tolerance);
  const tolerance = options.tolerance ?? DEFAULT_TOLERANCE_SECONDS;
  const now = options.now ?? nowInSeconds();
  if (!(Math.abs(now - header.timestamp) <= tolerance)) {
    throw new JambonzAuthError('timestamp_out_of_tolerance');
  }
  for (let secretIndex = 0; secretIndex < keys.length; secretIndex++) {
    const expected = computeSignature(keys[secretIndex]!, header.timestampText, body);
    // Indexed, not for...of: V8 kept the array iterator here, which showed in the 4 KB benchmark.
    for (let candidateIndex = 0; candidateIndex < header.signatures.length; candidateIndex++) {
      const candidate = header.signatures[candidateIndex]!;
      if (constantTimeEqual(expected, candidate)) {
        return { timestamp: header.timestamp, secretIndex, signature: candidate };
      }
    }
  }
  throw new JambonzAuthError('signature_mismatch');
}

function assertArguments(body: unknown, keys: readonly unknown[], tolerance: number | undefined): void {
  if (typeof body !== 'string' && !(body instanceof Uint8Array)) {
    throw new TypeError('verifySignature: body must be a string or bytes');
  }
  // A loop, not every(): every() skips the holes of a sparse array.
  if (!Array.isArray(keys) || keys.length === 0 || !allSecrets(keys)) {
    throw new TypeError('verifySignature: secrets must be one or more non-empty strings');
  }
  if (tolerance !== undefined && !(Number.isFinite(tolerance) && tolerance > 0)) {
    throw new TypeError('verifySignature: tolerance must be a positive number of seconds');
  }
}

function allSecrets(keys: readonly unknown[]): boolean {
  for (let i = 0; i < keys.length; i++) {
    if (typeof keys[i] !== 'string' || keys[i] === '') return false;
  }
  return true;
}
