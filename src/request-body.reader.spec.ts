import { createServer, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { PassThrough, Readable } from 'node:stream';
import { BadRequestException, PayloadTooLargeException } from '@nestjs/common';
import { CapturedLogs } from '../test/support/captured-logs.js';
import { JambonzAuthError } from './core/index.js';
import { DECISION_REASON } from './observability/jambonz-auth-decision.factory.js';
import { RAW_BODY_FIX, RequestBodyReader, type RequestBodyBytes } from './request-body.reader.js';
import { capturedBodies } from './request-state.js';
import type { WebhookRequest } from './webhook-request.interface.js';

const PAYLOAD = { call_sid: 'abc', caller_name: 'José 王小明 📞' };
const TEXT = JSON.stringify(PAYLOAD);
const BYTES = Buffer.from(TEXT, 'utf8');

/**
 * A request whose body is still in its stream, in the given chunks, with a Content-Length of
 * their size unless told otherwise (`null`: none, as with chunked transfer encoding).
 */
function unread(chunks: Buffer[], contentLength: string | null = String(Buffer.concat(chunks).length)) {
  const stream = Readable.from(chunks, { objectMode: false }) as Readable & WebhookRequest;
  stream.headers = contentLength === null ? {} : { 'content-length': contentLength };
  return stream;
}

/** A request whose stream is in the given state (a body parser consumed it, say), `body` as the parser left it. */
function inState(state: { readable: boolean; readableEnded: boolean; readableDidRead: boolean }, body: unknown): WebhookRequest {
  return { headers: {}, body, raw: state as unknown as IncomingMessage };
}

const CONSUMED = { readable: false, readableEnded: true, readableDidRead: true };
const parsed = (body: unknown, extra: Partial<WebhookRequest> = {}): WebhookRequest => ({ ...inState(CONSUMED, body), ...extra });

function reader(options: { max?: number; reserialize?: boolean } = {}) {
  const logger = new CapturedLogs();
  return { bodies: new RequestBodyReader(options.max ?? 1024, options.reserialize ?? false, logger), logger };
}

/** The decision reason the module tagged one of its own 413s or 400s with. */
const decisionReason = (error: unknown) => (error as Record<symbol, unknown>)[DECISION_REASON];

/** What `read` throws or rejects with. */
async function failure(read: () => RequestBodyBytes | Promise<unknown> | undefined): Promise<unknown> {
  try {
    await read();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

const REFUSING =
  'refusing jambonz webhooks: the request has no raw body. To verify the exact bytes received, ' +
  'create the app with NestFactory.create(AppModule, { rawBody: true }).';
const RESERIALIZING =
  'verifying jambonz signatures over JSON.stringify(req.body) because req.rawBody is missing. ' +
  'create the app with NestFactory.create(AppModule, { rawBody: true }).';

describe('RequestBodyReader', () => {
  it('names the one-line fix', () => {
    expect(RAW_BODY_FIX).toBe('create the app with NestFactory.create(AppModule, { rawBody: true })');
  });

  describe('answers synchronously when the bytes are there', () => {
    it('takes req.rawBody first, over a parsed body', () => {
      const { bodies, logger } = reader({ reserialize: true });
      const answer = bodies.read(parsed({ other: true }, { rawBody: BYTES }));
      expect(answer).toStrictEqual({ bytes: BYTES, source: 'raw-body' });
      expect((answer as RequestBodyBytes).bytes).toBe(BYTES);
      expect(logger.entries).toEqual([]);
    });

    it('takes a Uint8Array rawBody, and a body that is bytes (express.raw())', () => {
      const { bodies } = reader();
      const view = new Uint8Array(BYTES);
      expect(bodies.read(parsed({ other: true }, { rawBody: view }))).toStrictEqual({ bytes: view, source: 'raw-body' });
      expect(bodies.read(parsed(BYTES))).toStrictEqual({ bytes: BYTES, source: 'raw-body' });
      expect(bodies.read(parsed(view))).toStrictEqual({ bytes: view, source: 'raw-body' });
    });

    it("takes a rawBody kept as text by the app's own verify (buf.toString())", () => {
      const { bodies } = reader();
      expect(bodies.read(parsed({ other: true }, { rawBody: TEXT }))).toStrictEqual({ bytes: TEXT, source: 'raw-body' });
      expect(bodies.read(parsed({ other: true }, { rawBody: '' }))).toStrictEqual({ bytes: '', source: 'raw-body' });
    });

    it.each<[string, unknown]>([
      ['a number', 42],
      ['an object', { data: [1, 2] }],
      ['null', null],
    ])('ignores a rawBody that is neither bytes nor text: %s', (_case, rawBody) => {
      const { bodies } = reader({ reserialize: true });
      expect(bodies.read(parsed(PAYLOAD, { rawBody }))).toStrictEqual({ bytes: TEXT, source: 'reserialized' });
    });

    describe('the copy the Fastify hook made', () => {
      /** `request`, with the copy of `bytes` the Fastify hook made of its body. */
      function capturedBy<R extends object>(request: R, bytes: Buffer) {
        const captured = { bytes, hook: { needed: true } };
        capturedBodies.set(request, captured);
        return captured;
      }

      it('is taken when the app keeps no raw body, over a Buffer body and the unread stream', () => {
        const copy = Buffer.from(TEXT);
        const request = Object.assign(unread([Buffer.from('unread')]), { body: Buffer.from('parsed') });
        const captured = capturedBy(request, copy);
        const answer = reader().bodies.read(request);
        expect(answer).toStrictEqual({ bytes: copy, source: 'raw-body' });
        expect((answer as RequestBodyBytes).bytes).toBe(copy);
        expect(captured.hook.needed).toBe(true);
        expect(request.readableDidRead).toBe(false);
      });

      it("is not needed any more once the app's parser keeps the raw body: the hook is told", () => {
        for (const rawBody of [BYTES, TEXT]) {
          const request = parsed(PAYLOAD, { rawBody });
          const captured = capturedBy(request, Buffer.from('copy'));
          expect(reader().bodies.read(request)).toStrictEqual({ bytes: rawBody, source: 'raw-body' });
          expect(captured.hook.needed).toBe(false);
        }
      });
    });

    it('re-serialises the parsed body when allowed, warning once per reader, with the fix', () => {
      const { bodies, logger } = reader({ reserialize: true });
      const answer = bodies.read(parsed(PAYLOAD));
      expect(answer).toStrictEqual({ bytes: TEXT, source: 'reserialized' });
      bodies.read(parsed({ a: 2 }));
      expect(logger.entries).toEqual([{ level: 'warn', message: RESERIALIZING }]);
    });

    it.each<[string, unknown, string]>([
      ['a string body, as the JSON string literal it arrived as', '{"a": 1}', '"{\\"a\\": 1}"'],
      ['an array', [1, 'two'], '[1,"two"]'],
      ['null', null, 'null'],
      ['a number', 42, '42'],
      ['no body, as nothing', undefined, ''],
    ])('re-serialises %s', (_case, body, bytes) => {
      expect(reader({ reserialize: true }).bodies.read(parsed(body))).toStrictEqual({ bytes, source: 'reserialized' });
    });

    it('refuses with body_unavailable, warning once per reader with the fix, when re-serialising is not allowed', () => {
      const { bodies, logger } = reader();
      for (let i = 0; i < 2; i++) {
        let error: unknown;
        try {
          bodies.read(parsed(PAYLOAD));
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(JambonzAuthError);
        expect(error).toMatchObject({ reason: 'body_unavailable', message: 'body_unavailable: no raw body' });
      }
      expect(logger.entries).toEqual([{ level: 'warn', message: REFUSING }]);
    });

    it.each<[string, () => unknown]>([
      [
        'nested deeper than the stack',
        () => {
          let deep: unknown[] = [];
          for (let i = 0; i < 100_000; i++) deep = [deep];
          return deep;
        },
      ],
      ['holding a BigInt', () => ({ n: 1n })],
    ])('refuses a parsed body %s with body_unavailable, not a crash', (_case, body) => {
      const { bodies } = reader({ reserialize: true });
      const request = parsed(body());
      expect(() => bodies.read(request)).toThrow(
        new JambonzAuthError('body_unavailable', 'the parsed body cannot be re-serialised'),
      );
      expect(() => bodies.read(request)).toThrow(expect.objectContaining({ reason: 'body_unavailable' }));
    });
  });

  describe('reads the stream only when nothing has touched it', () => {
    it.each([
      ['it was never readable', { readable: false, readableEnded: false, readableDidRead: false }],
      ['it has ended', { readable: true, readableEnded: true, readableDidRead: false }],
      ['something has read from it', { readable: true, readableEnded: false, readableDidRead: true }],
      ['it reports no state', {}],
    ])('falls back to the parsed body when %s', (_case, state) => {
      const answer = reader({ reserialize: true }).bodies.read(inState(state as never, { call_sid: 'abc' }));
      expect(answer).toStrictEqual({ bytes: '{"call_sid":"abc"}', source: 'reserialized' });
    });

    it('reads an unread Express request, whatever the chunking, and keeps the bytes as rawBody', async () => {
      const request = unread(Array.from(BYTES, (byte) => Buffer.of(byte)));
      const answer = reader().bodies.read(request);
      expect(answer).toBeInstanceOf(Promise);
      expect(await answer).toStrictEqual({ bytes: BYTES, source: 'stream' });
      expect(request.rawBody).toEqual(BYTES);
      expect(request.body).toBeUndefined();
    });

    it("reads Fastify's Node request underneath", async () => {
      const raw = unread([BYTES.subarray(0, 5), BYTES.subarray(5)]);
      const request: WebhookRequest = { headers: {}, raw: raw as unknown as IncomingMessage };
      expect(await reader().bodies.read(request)).toStrictEqual({ bytes: BYTES, source: 'stream' });
      expect(request.rawBody).toEqual(BYTES);
    });

    it('reads an empty body', async () => {
      expect(await reader().bodies.read(unread([], '0'))).toStrictEqual({ bytes: Buffer.alloc(0), source: 'stream' });
    });

    it('reads a body sent without a Content-Length', async () => {
      expect(await reader().bodies.read(unread([BYTES.subarray(0, 3), BYTES.subarray(3)], null))).toStrictEqual({
        bytes: BYTES,
        source: 'stream',
      });
    });
  });

  // After Basic alone, the handler gets the body as after a signature check, when nobody read it.
  describe('readUnread', () => {
    it('reads a body nobody has read, keeping the bytes as rawBody', async () => {
      const request = unread([BYTES.subarray(0, 4), BYTES.subarray(4)]);
      const { bodies, logger } = reader();
      const answer = bodies.readUnread(request);
      expect(answer).toBeInstanceOf(Promise);
      const bytes = await answer;
      expect(bytes).toEqual(BYTES);
      expect(request.rawBody).toBe(bytes);
      expect(request.body).toBeUndefined();
      expect(logger.entries).toEqual([]);
    });

    it("reads Fastify's Node request underneath, by the headers of that request", async () => {
      const raw = unread([BYTES]);
      const request: WebhookRequest = { headers: {}, raw: raw as unknown as IncomingMessage };
      expect(await reader().bodies.readUnread(request)).toEqual(BYTES);
      expect(request.rawBody).toEqual(BYTES);
      const bodiless: WebhookRequest = {
        headers: { 'content-length': String(BYTES.length) },
        raw: unread([], null) as unknown as IncomingMessage,
      };
      expect(reader().bodies.readUnread(bodiless)).toBeUndefined();
    });

    it('reads a chunked body, announced by its Transfer-Encoding', async () => {
      const request = unread([BYTES.subarray(0, 7), BYTES.subarray(7)], null);
      request.headers['transfer-encoding'] = 'chunked';
      expect(await reader().bodies.readUnread(request)).toEqual(BYTES);
    });

    it.each<[string, () => WebhookRequest]>([
      ['no body is announced', () => unread([], null)],
      ['the body is announced empty', () => unread([], '0')],
      ['the bytes are already there as rawBody', () => Object.assign(unread([BYTES]), { rawBody: BYTES })],
      ['rawBody holds anything at all', () => Object.assign(unread([BYTES]), { rawBody: null })],
      ['a parser consumed the stream', () => ({ ...parsed(PAYLOAD), headers: { 'content-length': String(BYTES.length) } })],
      [
        'something has read from the stream',
        () => ({
          ...inState({ readable: true, readableEnded: false, readableDidRead: true }, undefined),
          headers: { 'content-length': '5' },
        }),
      ],
    ])('answers undefined, reading nothing, when %s', (_case, request) => {
      const given = request();
      expect(reader().bodies.readUnread(given)).toBeUndefined();
      expect((given as Partial<Readable>).readableDidRead ?? false).toBe(false);
    });

    it('rejects with 413 for a body over the limit, and 400 for one shorter than announced', async () => {
      const large = await failure(() => reader({ max: 11 }).bodies.readUnread(unread([Buffer.alloc(12)])));
      expect(large).toBeInstanceOf(PayloadTooLargeException);
      expect(decisionReason(large)).toBe('body_too_large');
      const short = unread([BYTES], String(BYTES.length + 1));
      const truncated = await failure(() => reader().bodies.readUnread(short));
      expect(truncated).toBeInstanceOf(BadRequestException);
      expect(decisionReason(truncated)).toBe('body_unreadable');
      expect(short.rawBody).toBeUndefined();
    });
  });

  describe('limits and broken streams', () => {
    /** A request stream that fails with `error` once read. */
    function failing(error: Error) {
      const stream = new PassThrough() as PassThrough & WebhookRequest;
      stream.headers = {};
      setImmediate(() => stream.destroy(error));
      return stream;
    }

    it('accepts a body of exactly the limit, declared or not', async () => {
      const full = Buffer.alloc(11, 0x61);
      expect(await reader({ max: 11 }).bodies.read(unread([full]))).toStrictEqual({ bytes: full, source: 'stream' });
      expect(await reader({ max: 11 }).bodies.read(unread([full.subarray(0, 6), full.subarray(6)], null))).toStrictEqual({
        bytes: full,
        source: 'stream',
      });
    });

    it('answers 413, before reading, for a Content-Length over the limit', async () => {
      const request = unread([Buffer.alloc(5)], '12');
      const error = await failure(() => reader({ max: 11 }).bodies.read(request));
      expect(error).toBeInstanceOf(PayloadTooLargeException);
      expect(decisionReason(error)).toBe('body_too_large');
      expect(request.readableDidRead).toBe(false);
    });

    it('answers 413 for a stream that grows past the limit without declaring its length', async () => {
      const request = unread([Buffer.alloc(6), Buffer.alloc(6)], null);
      const error = await failure(() => reader({ max: 11 }).bodies.read(request));
      expect(error).toBeInstanceOf(PayloadTooLargeException);
      expect(decisionReason(error)).toBe('body_too_large');
      expect(request.rawBody).toBeUndefined();
    });

    it.each<[string, string]>([
      ['fewer bytes than its Content-Length', String(BYTES.length + 5)],
      ['more bytes than its Content-Length', String(BYTES.length - 1)],
      ['a Content-Length that is not a number', 'twelve'],
    ])('answers 400 for %s', async (_case, contentLength) => {
      const request = unread([BYTES], contentLength);
      const error = await failure(() => reader().bodies.read(request));
      expect(error).toBeInstanceOf(BadRequestException);
      expect(decisionReason(error)).toBe('body_unreadable');
      expect(request.rawBody).toBeUndefined();
    });

    it.each<[string, Error]>([
      ['a stream error', Object.assign(new Error('aborted'), { code: 'ECONNRESET' })],
      ['a stream error with a status', Object.assign(new Error('server'), { status: 500 })],
    ])('answers 400 for %s', async (_case, error) => {
      const refusal = await failure(() => reader().bodies.read(failing(error)));
      expect(refusal).toBeInstanceOf(BadRequestException);
      expect(decisionReason(refusal)).toBe('body_unreadable');
    });

    it('answers 400 when a real client goes away in the middle of its body', async () => {
      let answer: Promise<unknown> | undefined;
      const reached = new Promise<void>((resolve) => {
        server.once('request', (request: IncomingMessage) => {
          answer = failure(() => reader().bodies.read(request as IncomingMessage & WebhookRequest));
          resolve();
        });
      });
      const client = connect(port, '127.0.0.1');
      client.on('error', () => undefined);
      client.write(
        'POST /jambonz/call HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"call_',
      );
      await reached;
      client.destroy();
      expect(await answer).toBeInstanceOf(BadRequestException);
      expect(decisionReason(await answer)).toBe('body_unreadable');
    });

    let server: Server;
    let port: number;
    beforeAll(async () => {
      server = createServer();
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });
  });
});
