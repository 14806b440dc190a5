import { generateSignatureHeader } from '../../src/index.js';
import { fixture } from './fixtures.js';
import { basic } from './http.js';

/** What jambonz sends for one webhook: its headers and its exact body. */
export interface Delivery {
  readonly headers: Record<string, string>;
  readonly body: string;
}

/**
 * Returns a function that makes one signed delivery of the named fixture per call: what jambonz
 * sends, and what a retry (or a replay) sends again. Each has its own body (a `sequence` field
 * is added): two identical bodies signed in the same second carry the same signature, and are
 * the same request as far as anyone can tell. With `credentials`, each also carries jambonz's
 * `Authorization: Basic` header.
 */
export function deliveries(
  fixtureName: string,
  secret: string,
  credentials?: { username: string; password: string },
): () => Delivery {
  const { payload } = fixture(fixtureName);
  let sequence = 0;
  return () => {
    const body = JSON.stringify({ ...payload, sequence: ++sequence });
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'jambonz-signature': generateSignatureHeader(body, secret),
    };
    if (credentials) headers.authorization = basic(credentials.username, credentials.password);
    return { headers, body };
  };
}
