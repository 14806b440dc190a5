import { nowInSeconds } from './clock.js';
import { computeSignature, type WebhookBody } from './compute-signature.js';
import { isSignableTimestamp, MAX_SIGNATURE_TIMESTAMP } from './signature-header.js';

/** Options of {@link generateSignatureHeader}. */
export interface GenerateSignatureHeaderOptions {
  /** `t` to sign with, in Unix seconds; whole seconds only. Default: now, rounded down. */
  timestamp?: number;
}

/**
 * Signs a body the way jambonz does and returns the `Jambonz-Signature` header value,
 * `t=<unix seconds>,v1=<64 lowercase hex>`. For tests, tools and the CLI; jambonz itself
 * signs real traffic.
 *
 * The body must be the exact bytes that will be sent. jambonz sends `JSON.stringify(payload)`,
 * so sign that string and send that same string.
 *
 * @param body the exact body: bytes, or a string sent as UTF-8.
 * @param secret the webhook secret (any non-empty string).
 * @throws TypeError when `secret` is not a non-empty string, or `timestamp` is not a
 *   non-negative whole number of at most 10 digits.
 */
export function generateSignatureHeader(body: WebhookBody, secret: string, options: GenerateSignatureHeaderOptions = {}): string {
  if (typeof secret !== 'string' || secret === '') {
    throw new TypeError('generateSignatureHeader: secret must be a non-empty string');
  }
  const timestamp = options.timestamp ?? Math.floor(nowInSeconds());
  if (!isSignableTimestamp(timestamp)) {
    throw new TypeError(`generateSignatureHeader: timestamp must be whole Unix seconds (0 to ${MAX_SIGNATURE_TIMESTAMP})`);
  }
  return `t=${timestamp},v1=${computeSignature(secret, timestamp, body).toString('hex')}`;
}
