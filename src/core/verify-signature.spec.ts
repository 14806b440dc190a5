import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { computeSignature, type WebhookBody } from './compute-signature.js';
import { generateSignatureHeader } from './generate-signature-header.js';
import { isJambonzAuthError, type JambonzAuthReason } from './jambonz-auth.error.js';
import { parseSignatureHeader } from './signature-header.js';
import {
  DEFAULT_TOLERANCE_SECONDS,
  verifyParsedSignature,
  verifySignature,
  type VerifiedSignature,
  type VerifySignatureOptions,
} from './verify-signature.js';

const FIXTURES = new URL('../../test/fixtures/jambonz-webhooks/', import.meta.url);

interface Vectors {
  readonly secret: string;
  readonly timestamp: number;
  readonly vectors: ReadonlyArray<{ file: string; bodyBytes: number; bodySha256: string; header: string }>;
}

const VECTORS = JSON.parse(readFileSync(new URL('vectors.json', FIXTURES), 'utf8')) as Vectors;

/** What jambonz posts for a sample payload: `JSON.stringify` of it, compact and raw UTF-8. */
const compactBody = (file: string) => JSON.stringify(JSON.parse(readFileSync(new URL(file, FIXTURES), 'utf8')));

const SECRET = 'wh_secret_7Xq2Lm9vKp3Rt8Wz4Nc6Bd';
const OTHER_SECRET = 'wh_secret_Qw3Er5Ty7Ui9Op2As4Df6Gh';
const T = 1715000000;
const BODY = '{"call_sid":"abc","caller_name":"王小明 📞","text":"Olá"}';

type Outcome = { passed: VerifiedSignature } | { refused: JambonzAuthReason };

/** Runs a verification and reports how it ended; anything but a JambonzAuthError propagates. */
function outcomeOf(verify: () => VerifiedSignature): Outcome {
  try {
    return { passed: verify() };
  } catch (error) {
    if (isJambonzAuthError(error)) return { refused: error.reason };
    throw error;
  }
}

const refused = (reason: JambonzAuthReason): Outcome => ({ refused: reason });
const passed = (secretIndex = 0, timestamp = T): Outcome => ({
  passed: { timestamp, secretIndex, signature: expect.any(Buffer) as Buffer },
});

/** `[label, offset]` rows such as `['+300', 300]`, for titles that read as `now = t+300`. */
const offsets = (...values: number[]) => values.map((value) => [value < 0 ? `${value}` : `+${value}`, value] as const);

const sign = (body: WebhookBody, secret = SECRET, timestamp = T) => generateSignatureHeader(body, secret, { timestamp });
/** Flips the hex digit at `index` of the header's first v1. */
function flipSignatureDigit(header: string, index: number): string {
  const start = header.indexOf('v1=') + 3 + index;
  const flipped = header[start] === '0' ? '1' : '0';
  return header.slice(0, start) + flipped + header.slice(start + 1);
}

describe('jambonz test vectors', () => {
  it('exist for every sample webhook', () => {
    const samples = readdirSync(FIXTURES).filter((file) => file.endsWith('.json') && file !== 'vectors.json');
    expect(VECTORS.vectors.map((vector) => vector.file).sort()).toEqual(samples.sort());
  });

  describe.each(VECTORS.vectors)('$file', ({ file, bodyBytes, bodySha256, header }) => {
    const body = compactBody(file);
    const options = { now: VECTORS.timestamp };

    it('has the recorded compact body (length in UTF-8 bytes and SHA-256)', () => {
      expect(Buffer.byteLength(body, 'utf8')).toBe(bodyBytes);
      expect(createHash('sha256').update(body, 'utf8').digest('hex')).toBe(bodySha256);
    });

    it('is signed by generateSignatureHeader exactly as jambonz does', () => {
      expect(generateSignatureHeader(body, VECTORS.secret, { timestamp: VECTORS.timestamp })).toBe(header);
    });

    it.each([
      ['a string', body],
      ['a Buffer', Buffer.from(body, 'utf8')],
    ])('verifies with the body as %s', (_case, received) => {
      expect(outcomeOf(() => verifySignature(received, header, VECTORS.secret, options))).toEqual(passed(0, VECTORS.timestamp));
    });

    it('is refused under another secret', () => {
      expect(outcomeOf(() => verifySignature(body, header, OTHER_SECRET, options))).toEqual(refused('signature_mismatch'));
    });
  });
});

it('has a default tolerance of 300 s, as Stripe', () => {
  expect(DEFAULT_TOLERANCE_SECONDS).toBe(300);
});

// verifyParsedSignature must decide exactly as verifySignature once the header is parsed.
describe.each([
  ['verifySignature', verifySignature],
  [
    'verifyParsedSignature',
    (
      body: WebhookBody,
      header: string | readonly string[] | undefined,
      secrets: string | readonly string[],
      options?: VerifySignatureOptions,
    ) => verifyParsedSignature(body, parseSignatureHeader(header), secrets, options),
  ],
] as const)('%s', (_name, verify) => {
  const at = (
    now: number,
    header: string,
    body: WebhookBody = BODY,
    secrets: string | readonly string[] = SECRET,
    tolerance?: number,
  ) => outcomeOf(() => verify(body, header, secrets, tolerance === undefined ? { now } : { now, tolerance }));

  describe('timestamp tolerance', () => {
    it.each(offsets(0, 300, -300, 299.999, -299.999))('passes at now = t%s with the default 300 s', (_label, offset) => {
      expect(at(T + offset, sign(BODY))).toEqual(passed());
    });

    it.each(offsets(301, -301, 300.001, -300.001, 86_400))('refuses at now = t%s with the default 300 s', (_label, offset) => {
      expect(at(T + offset, sign(BODY))).toEqual(refused('timestamp_out_of_tolerance'));
    });

    it.each([
      [60, '+60', passed()],
      [60, '-60', passed()],
      [60, '+61', refused('timestamp_out_of_tolerance')],
      [60, '-61', refused('timestamp_out_of_tolerance')],
      [3600, '+3600', passed()],
      [3600, '-3601', refused('timestamp_out_of_tolerance')],
    ])('with tolerance %d s, at now = t%s', (tolerance, offset, outcome) => {
      expect(at(T + Number(offset), sign(BODY), BODY, SECRET, tolerance)).toEqual(outcome);
    });

    // NaN fails every comparison: a check written as `> tolerance` would let it through.
    it.each([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])('refuses when the clock reads %d', (now) => {
      expect(at(now, sign(BODY))).toEqual(refused('timestamp_out_of_tolerance'));
    });

    it('checks the timestamp before the signature', () => {
      expect(at(T + 301, sign(BODY, OTHER_SECRET))).toEqual(refused('timestamp_out_of_tolerance'));
    });

    it('reads the system clock when no time is given', () => {
      const fresh = generateSignatureHeader(BODY, SECRET);
      const stale = sign(BODY, SECRET, Math.floor(Date.now() / 1000) - 3600);
      expect(outcomeOf(() => verify(BODY, fresh, SECRET))).toEqual({ passed: expect.objectContaining({ secretIndex: 0 }) });
      expect(outcomeOf(() => verify(BODY, stale, SECRET))).toEqual(refused('timestamp_out_of_tolerance'));
    });
  });

  describe('secrets', () => {
    it.each<[string, string | string[], string, Outcome]>([
      ['one secret as a string', SECRET, SECRET, passed(0)],
      ['one secret in a list', [SECRET], SECRET, passed(0)],
      ['the new secret of a rotation', [OTHER_SECRET, SECRET], SECRET, passed(1)],
      ['the old secret of a rotation', [OTHER_SECRET, SECRET], OTHER_SECRET, passed(0)],
      ['a secret in the list only trimmed', [` ${SECRET}`, `${SECRET} `], SECRET, refused('signature_mismatch')],
      ['a secret in none of the list', [OTHER_SECRET, 'wh_secret_cJqgtMDPzDhhnjmaJH6Mtk'], SECRET, refused('signature_mismatch')],
    ])('%s', (_case, secrets, signedWith, outcome) => {
      expect(at(T, sign(BODY, signedWith), BODY, secrets)).toEqual(outcome);
    });
  });

  describe('several signatures', () => {
    const real = sign(BODY).split(',v1=')[1]!;
    const forged = createHash('sha256').update('forged').digest('hex');

    it.each([
      ['a wrong v1 before the right one', `t=${T},v1=${forged},v1=${real}`],
      ['the right v1 before a wrong one', `t=${T},v1=${real},v1=${forged}`],
      ['unknown schemes around the right v1', `t=${T},v0=${forged},v1=${real},v2=${forged}`],
    ])('passes with %s and reports the v1 that matched', (_case, header) => {
      expect(at(T, header)).toEqual({ passed: { timestamp: T, secretIndex: 0, signature: Buffer.from(real, 'hex') } });
    });

    it('never verifies a signature carried by an unknown scheme', () => {
      expect(at(T, `t=${T},v0=${real},v1=${forged}`)).toEqual(refused('signature_mismatch'));
    });
  });

  describe('body', () => {
    const forms: ReadonlyArray<[string, WebhookBody]> = [
      ['a string', BODY],
      ['a Buffer', Buffer.from(BODY, 'utf8')],
      ['a plain Uint8Array', new Uint8Array(Buffer.from(BODY, 'utf8'))],
    ];
    const pairs = forms.flatMap(([signedAs, signed]) =>
      forms.map(([receivedAs, received]) => [signedAs, receivedAs, signed, received] as const),
    );

    it.each(pairs)('signed as %s, verifies as %s (non-ASCII taken as UTF-8)', (_signedAs, _receivedAs, signed, received) => {
      expect(at(T, sign(signed), received)).toEqual(passed());
    });

    it('verifies the no-params body, signed as "<t>.null"', () => {
      expect(at(T, sign('null'), Buffer.from('null'))).toEqual(passed());
    });

    it.each<[string, WebhookBody]>([
      ['the same text encoded as latin1', Buffer.from(BODY, 'latin1')],
      ['the payload re-serialised with indentation', JSON.stringify(JSON.parse(BODY), null, 2)],
      ['a trailing newline added', `${BODY}\n`],
      ['an empty body', ''],
    ])('refuses %s', (_case, received) => {
      expect(at(T, sign(BODY), received)).toEqual(refused('signature_mismatch'));
    });
  });

  describe('tampering', () => {
    const bytes = Buffer.from(BODY, 'utf8');

    it.each([0, Math.floor(bytes.length / 2), bytes.length - 1])('refuses the body with byte %d altered', (index) => {
      const altered = Buffer.from(bytes);
      altered[index]! ^= 0x01;
      expect(at(T, sign(BODY), altered)).toEqual(refused('signature_mismatch'));
    });

    it.each([0, 31, 63])('refuses the signature with hex digit %d changed', (index) => {
      expect(at(T, flipSignatureDigit(sign(BODY), index))).toEqual(refused('signature_mismatch'));
    });

    it.each([T + 1, T - 1])('refuses t changed to %d, still within tolerance', (t) => {
      expect(at(T, sign(BODY).replace(`t=${T}`, `t=${t}`))).toEqual(refused('signature_mismatch'));
    });

    // The HMAC covers t's text: the same number written with a leading zero is another message.
    it('refuses t rewritten with a leading zero, and verifies a signature made over those digits', () => {
      const small = 100_000_000;
      const header = sign(BODY, SECRET, small);
      const padded = `t=0${small},v1=${computeSignature(SECRET, `0${small}`, BODY).toString('hex')}`;
      expect(at(small, header.replace(`t=${small}`, `t=0${small}`))).toEqual(refused('signature_mismatch'));
      expect(at(small, padded)).toEqual(passed(0, small));
    });

    it('refuses a body prefix moved into t, although the signed bytes stay the same', () => {
      const body = '{"a":"x.y"}';
      const [prefix, rest] = ['{"a":"x', 'y"}'];
      const movedT = `${T}.${prefix}`;
      expect(`${movedT}.${rest}`).toBe(`${T}.${body}`);
      const v1 = computeSignature(SECRET, T, body).toString('hex');
      expect(at(T, `t=${movedT},v1=${v1}`, rest)).toEqual(refused('malformed_signature'));
    });
  });

  it.each<[string, string | undefined, JambonzAuthReason]>([
    ['no header', undefined, 'missing_signature'],
    ['a header without v1', `t=${T}`, 'malformed_signature'],
  ])('refuses %s with the parser reason', (_case, header, reason) => {
    expect(outcomeOf(() => verify(BODY, header, SECRET, { now: T }))).toEqual(refused(reason));
  });

  // Programming errors must not pass for a bad request: they are TypeErrors, whatever the header.
  it.each<[string, unknown, unknown, VerifySignatureOptions]>([
    ['an empty secret list', BODY, [], {}],
    ['an empty secret', BODY, '', {}],
    ['an empty secret in the list', BODY, [SECRET, ''], {}],
    ['a non-string secret', BODY, [42], {}],
    // every() would skip a hole: a sparse list is checked index by index.
    ['a hole before a secret', BODY, Object.assign(new Array<string>(2), { 1: SECRET }), {}],
    ['a hole after a secret', BODY, Object.assign(new Array<string>(2), { 0: SECRET }), {}],
    ['a list of holes only', BODY, new Array<string>(3), {}],
    ['no secrets at all', BODY, undefined, {}],
    ['a number body', 42, SECRET, {}],
    ['a null body', null, SECRET, {}],
    ['a parsed-JSON body', JSON.parse(BODY), SECRET, {}],
    ['an ArrayBuffer body', new ArrayBuffer(8), SECRET, {}],
    ['a zero tolerance', BODY, SECRET, { tolerance: 0 }],
    ['a negative tolerance', BODY, SECRET, { tolerance: -1 }],
    ['a NaN tolerance', BODY, SECRET, { tolerance: Number.NaN }],
    ['an infinite tolerance', BODY, SECRET, { tolerance: Number.POSITIVE_INFINITY }],
  ])('throws a TypeError for %s', (_case, body, secrets, options) => {
    expect(() => verify(body as WebhookBody, sign(BODY), secrets as string[], { now: T, ...options })).toThrow(TypeError);
  });
});
