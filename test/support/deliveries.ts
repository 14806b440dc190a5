import { generateSignatureHeader } from '../../src/index.js';
import { fixture } from './fixtures.js';

/** What jambonz sends for one webhook: its headers and its exact body. */
export interface Delivery {
  readonly headers: Record<string, string>;
  readonly body: string;
}

/**
 * Returns a function that makes one signed delivery of the named fixture per call: what jambonz
 * sends, and what a retry (or a replay) sends again. Each has its own body (a `sequence` field
 * is added): two identical bodies signed in the same second carry the same signature, and are
 * the same request as far as anyone can tell.
 */
export function deliveries(fixtureName: string, secret: string): () => Delivery {
  const { payload } = fixture(fixtureName);
  let sequence = 0;
  return () => {
    const body = JSON.stringify({ ...payload, sequence: ++sequence });
    return { headers: { 'content-type': 'application/json', 'jambonz-signature': generateSignatureHeader(body, secret) }, body };
  };
}
