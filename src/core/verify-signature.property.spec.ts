import assert from 'node:assert/strict';
import fc from 'fast-check';
import { BasicCredentialsVerifier, parseBasicAuthorization, UNSUPPORTED_CREDENTIAL_CHARACTERS } from './basic-credentials.js';
import { generateSignatureHeader } from './generate-signature-header.js';
import { isPlaceholder } from './placeholder.js';
import { isInvisible } from './webhook-secret.js';
import { isJambonzAuthError, type JambonzAuthReason } from './jambonz-auth.error.js';
import { parseSignatureHeader, SIGNATURE_HEADER_LIMITS, type JambonzSignatureHeader } from './signature-header.js';
import { DEFAULT_TOLERANCE_SECONDS, verifySignature, type VerifySignatureOptions } from './verify-signature.js';

const RUNS = { numRuns: 10_000 };
// Inside properties, node:assert instead of Jest's expect: a tenth of the cost over 10 000 runs,
// and fast-check still reports the failing input with the assertion message.

/** How a call ended: the JambonzAuthError reason, or undefined when it returned. Other errors propagate. */
function refusalOf(run: () => unknown): JambonzAuthReason | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    if (isJambonzAuthError(error)) return error.reason;
    throw error;
  }
}

const utf8RoundTrips = (text: string) => Buffer.from(text, 'utf8').toString('utf8') === text;
/** Strings of `minLength` to `maxLength` characters taken from `chars`. */
const stringOf = (chars: string, minLength: number, maxLength: number) =>
  fc.string({ unit: fc.constantFrom(...chars), minLength, maxLength });
const DIGITS = '0123456789';

// ---- signed requests ----

/** Unix seconds as jambonz sends them today and for the next centuries: 10 digits. */
const timestamp = fc.integer({ min: 1_000_000_000, max: 9_999_999_999 });

/** A request signed by jambonz, and a receiver whose clock is within its tolerance of `t`. */
const signedRequest = fc
  .record({
    body: fc.uint8Array({ maxLength: 512 }),
    // Any code points, lone surrogates included: jambonz accepts any string as a secret.
    secret: fc.string({ unit: 'binary', minLength: 1, maxLength: 64 }),
    t: timestamp,
    tolerance: fc.option(fc.integer({ min: 1, max: 86_400 }), { nil: undefined }),
    // Where the clock sits in the window, from -1 (t - tolerance) to 1 (t + tolerance), in millionths.
    position: fc.integer({ min: -1_000_000, max: 1_000_000 }),
  })
  .map(({ position, ...request }) => {
    const offset = Math.round(((request.tolerance ?? DEFAULT_TOLERANCE_SECONDS) * position) / 1_000_000);
    return {
      ...request,
      header: generateSignatureHeader(request.body, request.secret, { timestamp: request.t }),
      options: { now: request.t + offset, tolerance: request.tolerance } satisfies VerifySignatureOptions,
    };
  });

/** The reason the tolerance and grammar rules give for `t` replaced by `text`, if the HMAC did not matter. */
function expectedReasonForT(text: string, options: VerifySignatureOptions): JambonzAuthReason {
  if (text.length > SIGNATURE_HEADER_LIMITS.maxTimestampDigits) return 'malformed_signature';
  const tolerance = options.tolerance ?? DEFAULT_TOLERANCE_SECONDS;
  return Math.abs(options.now! - Number(text)) > tolerance ? 'timestamp_out_of_tolerance' : 'signature_mismatch';
}

describe('verifySignature properties', () => {
  it('accepts what generateSignatureHeader signed, for any body, secret and in-tolerance clock', () => {
    fc.assert(
      fc.property(signedRequest, ({ body, secret, t, header, options }) => {
        const verified = verifySignature(body, header, secret, options);
        assert.deepEqual(verified, { timestamp: t, secretIndex: 0, signature: Buffer.from(header.split(',v1=')[1]!, 'hex') });
      }),
      RUNS,
    );
  });

  it('refuses a body with any one byte changed', () => {
    const request = signedRequest.filter(({ body }) => body.length > 0);
    fc.assert(
      fc.property(request, fc.nat(), fc.integer({ min: 1, max: 255 }), ({ body, secret, header, options }, at, xor) => {
        const altered = Uint8Array.from(body);
        altered[at % altered.length]! ^= xor;
        assert.equal(
          refusalOf(() => verifySignature(altered, header, secret, options)),
          'signature_mismatch',
        );
      }),
      RUNS,
    );
  });

  it('refuses t replaced by any other digits, with the reason the tolerance and grammar give', () => {
    // Besides any digits: values near t, mostly inside the window where only the HMAC can tell,
    // and t padded with zeros, the same number that only the digit-count rule refuses.
    const change = fc.oneof(
      stringOf(DIGITS, 1, 12).map((digits) => ({ digits })),
      fc.integer({ min: -400, max: 400 }).map((delta) => ({ delta })),
      stringOf('0', 1, 3).map((zeros) => ({ zeros })),
    );
    const replaced = (t: number, c: { digits: string } | { delta: number } | { zeros: string }) =>
      'digits' in c ? c.digits : 'delta' in c ? String(t + c.delta) : `${c.zeros}${t}`;
    fc.assert(
      fc.property(signedRequest, change, ({ body, secret, t, header, options }, c) => {
        const text = replaced(t, c);
        fc.pre(text !== String(t));
        const forged = header.replace(`t=${t},`, `t=${text},`);
        assert.equal(
          refusalOf(() => verifySignature(body, forged, secret, options)),
          expectedReasonForT(text, options),
        );
      }),
      RUNS,
    );
  });

  it('refuses the signature with any one hex digit changed', () => {
    fc.assert(
      fc.property(
        signedRequest,
        fc.integer({ min: 0, max: 63 }),
        fc.integer({ min: 1, max: 15 }),
        ({ body, secret, header, options }, at, shift) => {
          const start = header.indexOf(',v1=') + 4 + at;
          const digit = ((parseInt(header[start]!, 16) + shift) % 16).toString(16);
          const forged = header.slice(0, start) + digit + header.slice(start + 1);
          assert.equal(
            refusalOf(() => verifySignature(body, forged, secret, options)),
            'signature_mismatch',
          );
        },
      ),
      RUNS,
    );
  });
});

// ---- Jambonz-Signature headers ----

const T_DIGITS = stringOf(DIGITS, 1, 10);
const V1 = stringOf('0123456789abcdef', 64, 64);
/** Spaces and tabs a proxy may put around an element. */
const OWS = stringOf(' \t', 0, 2);

/** Strings made of the header's own pieces: most are near misses of the grammar. */
const headerPieces = fc
  .array(
    fc.constantFrom(
      't=',
      'v1=',
      'v0=',
      'V1=',
      '=',
      ',',
      ', ',
      ' ',
      '\t',
      '\n',
      '.',
      '-',
      '+',
      'e',
      '0',
      '9',
      'F',
      '1715000000',
      'a'.repeat(64),
      'f'.repeat(63),
    ),
    { maxLength: 24 },
  )
  .map((pieces) => pieces.join(''));

/** Headers built element by element from the grammar around one t (`null` below), some elements slightly wrong. */
const grammarish = fc
  .record({
    t: T_DIGITS,
    elements: fc.array(
      fc.tuple(
        OWS,
        fc.oneof(
          { weight: 4, arbitrary: fc.constant(null) },
          { weight: 1, arbitrary: stringOf(DIGITS, 0, 12).map((other) => `t=${other}`) },
          { weight: 6, arbitrary: V1.map((v1) => `v1=${v1}`) },
          { weight: 1, arbitrary: stringOf('0123456789abcdefABCDEFg', 0, 66).map((v1) => `v1=${v1}`) },
          {
            weight: 1,
            arbitrary: fc.tuple(fc.string({ maxLength: 4 }), fc.string({ maxLength: 8 })).map(([k, v]) => `${k}=${v}`),
          },
        ),
        OWS,
      ),
      { minLength: 1, maxLength: 12 },
    ),
  })
  .map(({ t, elements }) => elements.map(([before, element, after]) => `${before}${element ?? `t=${t}`}${after}`).join(','));

const anyHeaderString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  // Repetitions reach past the length cap without generating a thousand characters one by one.
  fc
    .tuple(fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }), fc.integer({ min: 1, max: 100 }))
    .map(([s, n]) => s.repeat(n)),
  headerPieces,
  { weight: 3, arbitrary: grammarish },
);
const anyHeader = fc.oneof(anyHeaderString, fc.array(anyHeaderString, { maxLength: 3 }));

/** The documented shape of a parse result. */
function assertWellFormed(parsed: JambonzSignatureHeader): void {
  assert.match(parsed.timestampText, /^[0-9]{1,10}$/);
  assert.equal(parsed.timestamp, Number(parsed.timestampText));
  assert.ok(parsed.signatures.length >= 1 && parsed.signatures.length <= SIGNATURE_HEADER_LIMITS.maxSignatures);
  assert.ok(parsed.signatures.every((signature) => signature.length === 32));
  assert.equal(new Set(parsed.signatures.map((signature) => signature.toString('hex'))).size, parsed.signatures.length);
}

describe('parseSignatureHeader properties', () => {
  it('only ever throws missing_signature or malformed_signature, and returns well-formed results', () => {
    let accepted = 0;
    fc.assert(
      fc.property(anyHeader, (header) => {
        let parsed: JambonzSignatureHeader | undefined;
        const reason = refusalOf(() => (parsed = parseSignatureHeader(header)));
        if (reason === undefined) {
          accepted++;
          assertWellFormed(parsed!);
        } else {
          assert.ok(reason === 'missing_signature' || reason === 'malformed_signature', reason);
        }
      }),
      RUNS,
    );
    // Without enough accepted inputs the invariants above would go unchecked.
    expect(accepted).toBeGreaterThan(RUNS.numRuns / 50);
  });

  it('parses a header built by the grammar back into its t and its distinct v1, in order', () => {
    const { maxSignatures, maxElements } = SIGNATURE_HEADER_LIMITS;
    // Random sort keys shuffle the elements: t and v1 may come in any order, duplicates anywhere.
    const header = fc
      .record({
        t: T_DIGITS,
        signatures: fc.uniqueArray(V1, { minLength: 1, maxLength: maxSignatures }),
        unknown: fc.array(
          fc.tuple(fc.constantFrom('v0', 'v2', 'x', 'V1', 'T'), fc.string({ unit: 'grapheme-ascii', maxLength: 16 })),
          { maxLength: 3 },
        ),
        order: fc.array(fc.tuple(fc.nat(), OWS, OWS), { minLength: maxElements, maxLength: maxElements }),
      })
      .map(({ t, signatures, unknown, order }) => {
        const elements = [
          `t=${t}`,
          `t=${t}`,
          ...signatures.map((v1) => `v1=${v1}`),
          `v1=${signatures[0]}`,
          ...unknown.map(([k, v]) => `${k}=${v.replace(/,/g, '')}`),
        ];
        const shuffled = elements
          .map((element, i) => ({ element, key: order[i]![0], ows: order[i]! }))
          .sort((a, b) => a.key - b.key)
          .map(({ element, ows: [, before, after] }) => `${before}${element}${after}`);
        return { t, elements: shuffled };
      });
    fc.assert(
      fc.property(header, ({ t, elements }) => {
        const inOrder = elements.map((element) => /v1=([0-9a-f]{64})/.exec(element)?.[1]).filter((v1) => v1 !== undefined);
        const parsed = parseSignatureHeader(elements.join(','));
        assert.equal(parsed.timestampText, t);
        assert.deepEqual(
          parsed.signatures.map((signature) => signature.toString('hex')),
          [...new Set(inOrder)],
        );
      }),
      RUNS,
    );
  });
});

// ---- Authorization: Basic ----

const BASIC_REASONS: readonly JambonzAuthReason[] = ['missing_credentials', 'malformed_credentials'];

/** Any Unicode text that survives UTF-8, which is what jambonz can send. */
const text = fc.oneof(
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 24 }),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 24 }).filter(utf8RoundTrips),
);
const basicToken = (userPass: string) => Buffer.from(userPass, 'utf8').toString('base64');

describe('parseBasicAuthorization properties', () => {
  it('only ever throws a credentials JambonzAuthError, and returns non-empty parts that re-encode to the token', () => {
    const header = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 100 }),
      fc
        .tuple(fc.constantFrom('Basic ', 'basic  ', ' BASIC ', 'Basic\t', 'Basic'), stringOf('AZaz09+/=-_. :', 0, 40))
        .map(([scheme, token]) => scheme + token),
      fc.uint8Array({ maxLength: 40 }).map((bytes) => `Basic ${Buffer.from(bytes).toString('base64')}`),
    );
    fc.assert(
      fc.property(header, (value) => {
        let parsed: ReturnType<typeof parseBasicAuthorization> | undefined;
        const reason = refusalOf(() => (parsed = parseBasicAuthorization(value)));
        if (reason !== undefined) {
          assert.ok(BASIC_REASONS.includes(reason), reason);
          return;
        }
        const { username, password } = parsed!;
        assert.ok(username !== '' && !username.includes(':') && password !== '');
        assert.equal(value.trim().split(' ').pop(), basicToken(`${username}:${password}`));
      }),
      RUNS,
    );
  });

  it('round-trips Basic base64(user:pass) for any user without ":" and any password RFC 7617 allows', () => {
    // What RFC 7617 allows, less what the configuration refuses (placeholders, invisible-only values).
    const allowed = text.filter(
      (value) => !UNSUPPORTED_CREDENTIAL_CHARACTERS.test(value) && !isPlaceholder(value) && !isInvisible(value),
    );
    const credentials = fc.record({ username: allowed.filter((user) => !user.includes(':')), password: allowed });
    fc.assert(
      fc.property(credentials, ({ username, password }) => {
        const header = `Basic ${basicToken(`${username}:${password}`)}`;
        assert.deepEqual(parseBasicAuthorization(header), { username, password });
        assert.equal(new BasicCredentialsVerifier({ username, password }).verify(header), username);
      }),
      RUNS,
    );
  });
});
