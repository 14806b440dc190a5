import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CapturedLogs } from '../test/support/captured-logs.js';
import { generateSignatureHeader, isJambonzAuthError, verifySignature } from './core/index.js';
import { RequestBodyReader, type RequestBodyBytes } from './request-body.reader.js';

// The re-serialising fallback against hostile parsed bodies: what is verified is what the handler
// receives, byte for byte, or the request is refused; and nothing but a refusal ever comes out.

const SECRET = 'wh_secret_readerProperties01';
const T = 1_715_000_000;
const reader = () => new RequestBodyReader(1024 * 1024, true, new CapturedLogs());
/** What the guard verifies for a request whose body parser produced `body`. */
const bytesFor = (body: unknown) => reader().read({ headers: {}, body }) as RequestBodyBytes;
const verifies = (bytes: Uint8Array | string, signed: string) => {
  try {
    verifySignature(bytes, generateSignatureHeader(signed, SECRET, { timestamp: T }), SECRET, { now: T });
    return true;
  } catch (error) {
    if (isJambonzAuthError(error)) return false;
    throw error;
  }
};

describe('RequestBodyReader, re-serialising, against any parsed body', () => {
  it('verifies a genuine body as the handler receives it', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const sent = JSON.stringify(value);
        // What jambonz sends parses to a value that re-serialises to the bytes it signed.
        assert.equal(verifies(bytesFor(JSON.parse(sent)).bytes, sent), true);
      }),
      { numRuns: 2_000 },
    );
  });

  it('refuses a genuine body re-wrapped as a JSON string literal, once or several times', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer({ min: 1, max: 3 }), (value, wraps) => {
        const signed = JSON.stringify(value);
        let sent = signed;
        for (let i = 0; i < wraps; i++) sent = JSON.stringify(sent);
        // The parser hands the handler a string; its re-serialised form is what was sent, not what was signed.
        const { bytes } = bytesFor(JSON.parse(sent));
        assert.equal(bytes, sent);
        assert.equal(verifies(bytes, signed), false);
      }),
      { numRuns: 2_000 },
    );
  });

  it('answers any nesting, however deep, with bytes or a body_unavailable refusal, never another error', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60_000 }), fc.constantFrom('array', 'object'), (depth, kind) => {
        const text = kind === 'array' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          return; // the app's parser would have answered 400 before the guard
        }
        try {
          assert.equal(bytesFor(parsed).bytes, text);
        } catch (error) {
          assert.ok(isJambonzAuthError(error), `unexpected ${String(error)}`);
          assert.equal(error.reason, 'body_unavailable');
        }
      }),
      { numRuns: 200 },
    );
  });
});
