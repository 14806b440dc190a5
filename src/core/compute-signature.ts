import { createHmac } from 'node:crypto';

/** A request body as it travels: raw bytes, or a string sent as UTF-8. */
export type WebhookBody = string | Uint8Array;

/**
 * Computes jambonz's signature: HMAC-SHA256 keyed with the webhook secret over the UTF-8 bytes
 * of `<t>.<body>` (jambonz feature server, `lib/utils/base-requestor.js`).
 *
 * The prefix and the body go into the HMAC one after the other, so a large body is never
 * copied into a new string or Buffer.
 *
 * @param secret the webhook secret exactly as stored in jambonz (any string, even empty; never
 *   trimmed). `verifySignature` and `generateSignatureHeader` refuse an empty one.
 * @param timestamp `t` as it appears in the header: Unix seconds, as digits or a number. A
 *   number is written with `${}`, so pass whole seconds: `1.5` or `1e21` would sign a `t` that
 *   no header can carry.
 * @param body the body bytes, or a string hashed as UTF-8.
 * @returns the 32-byte digest.
 * @throws TypeError (from `node:crypto`) when `secret` or `body` is neither a string nor bytes.
 */
export function computeSignature(secret: string, timestamp: string | number, body: WebhookBody): Buffer {
  // Hmac.update encodes a string as UTF-8 unless told otherwise.
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest();
}
