import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Compares two byte strings in time that depends only on their lengths, never on where they
 * differ. Unlike `crypto.timingSafeEqual`, a length mismatch returns `false` instead of throwing.
 *
 * @throws TypeError (from `node:crypto`) when either argument is not a `Uint8Array`.
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) {
    // Spend the same work as a real comparison so a length mismatch is not a fast path.
    timingSafeEqual(a, a);
    return false;
  }
  return timingSafeEqual(a, b);
}

/** SHA-256 of a string's UTF-8 bytes: a fixed 32-byte value to compare in constant time. */
export function sha256(text: string): Buffer {
  // Hash.update encodes a string as UTF-8 unless told otherwise.
  return createHash('sha256').update(text).digest();
}
