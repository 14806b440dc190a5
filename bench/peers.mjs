// The verifiers jambonz publishes, called the way an Express app calls them: as middleware, on
// a request object prepared once, with a `next` that records the outcome.
//
// - @jambonz/sdk `WebhookResponse.verifySignature(secret)` reads `req.headers['jambonz-signature']`
//   and `req.body`: a string is used as is, anything else is JSON.stringify'd. Failure:
//   `next(err)`.
// - @jambonz/node-client `WebhookResponse.verifyJambonzSignature(secret)` reads
//   `req.get('Jambonz-Signature')` (Express) and `req.body`: a Buffer is decoded to a string, an
//   object is JSON.stringify'd. Failure: it throws synchronously.
//
// With express.json() (what both document) req.body is the parsed object, so both re-serialise
// it: that is how they are measured.
//
// Known weaknesses, for context only (see /work/shared/JAMBONZ-FACTS.md): both re-serialise the
// parsed body; neither checks that `t` is digits; node-client accepts any future timestamp and
// throws (a 500 in Express); the sdk takes one secret only.
import { WebhookResponse as SdkWebhookResponse } from '@jambonz/sdk/webhook';
import nodeClient from '@jambonz/node-client';
import { forged } from './constants.mjs';

/** The slice of an Express request both middlewares touch; `get` as Express defines it. */
class PreparedRequest {
  constructor(header, body) {
    this.method = 'POST';
    this.url = '/jambonz/call';
    this.headers = { 'content-type': 'application/json', 'jambonz-signature': header };
    this.body = body;
  }

  get(name) {
    return this.headers[name.toLowerCase()];
  }
}

const RESPONSE = Object.freeze({});
let outcome;
function next(error) {
  outcome = error ?? null;
}

/**
 * @returns `(req) => null | Error`: null when the middleware called next() with no error.
 */
function asCall(middleware) {
  return function call(req) {
    outcome = undefined;
    try {
      middleware(req, RESPONSE, next);
    } catch (error) {
      return error;
    }
    return outcome === undefined ? new Error('next() was not called') : outcome;
  };
}

/**
 * The peer contenders for one body. Each `fn` runs one verification on a request prepared once,
 * given the same input (same secret, header and payload) as ours, and returns null when the
 * middleware accepted it or the error it reported.
 *
 * @param body from bodies.mjs ({ parsed }).
 * @param header the `Jambonz-Signature` value, signed at a recent `t` (both peers compare `t`
 *   with the wall clock, tolerance 300 s).
 */
export function peerContenders(body, header, secret) {
  return [
    ['sdk', '@jambonz/sdk verifySignature', SdkWebhookResponse.verifySignature(secret)],
    ['nodeClient', '@jambonz/node-client verifyJambonzSignature', nodeClient.WebhookResponse.verifyJambonzSignature(secret)],
  ].map(([id, label, middleware]) => {
    const call = asCall(middleware);
    const req = new PreparedRequest(header, body.parsed);
    return { id, label, fn: () => call(req) };
  });
}

/**
 * Asserts that every peer accepts the genuine input and refuses a tampered one, so that the
 * timed path is the success path of a working verifier.
 * @throws Error naming the peer otherwise.
 */
export function assertPeersWork(body, header, secret) {
  for (const peer of peerContenders(body, header, secret)) {
    const error = peer.fn();
    if (error !== null)
      throw new Error(`bench/peers: ${peer.label} refused a genuine ${body.label} request: ${error?.message ?? error}`);
  }
  for (const peer of peerContenders(body, forged(header), secret)) {
    if (peer.fn() === null) throw new Error(`bench/peers: ${peer.label} accepted a wrong signature`);
  }
}
