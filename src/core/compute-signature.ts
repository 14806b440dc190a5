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
 * @param secret the webhook secret exactly as stored in jambonz (any string; never trimmed).
 * @param timestamp `t` as it appears in the header: Unix seconds, as digits or a number.
 * @param body the body bytes, or a string hashed as UTF-8.
 * @returns the 32-byte digest.
 */
export function computeSignature(secret: string, timestamp: string | number, body: WebhookBody): Buffer {
  // Hmac.update encodes a string as UTF-8 unless told otherwise.
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest();
}
