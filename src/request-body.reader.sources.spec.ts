import type { IncomingMessage } from 'node:http';
import { PassThrough, Readable } from 'node:stream';
import { BadRequestException, PayloadTooLargeException } from '@nestjs/common';
import { CapturedLogs } from '../test/support/captured-logs.js';
import { RequestBodyReader } from './request-body.reader.js';
import type { WebhookRequest } from './webhook-request.js';

// Where the reader takes the bytes from, in every state a request stream can be in, and which
// content types it parses for the handler.

const TEXT = JSON.stringify({ call_sid: 'abc', caller_name: 'José' });
const BYTES = Buffer.from(TEXT, 'utf8');

/** A request whose body is still in its stream. */
function unread(bytes: Buffer, headers: WebhookRequest['headers'] = { 'content-type': 'application/json' }) {
  const stream = Readable.from([bytes]) as Readable & WebhookRequest;
  stream.headers = { 'content-length': String(bytes.length), ...headers };
  return stream;
}

/** A request whose stream is in the given state, with `body` as the app's parser left it. */
function inState(state: { readable: boolean; readableEnded: boolean; readableDidRead: boolean }, body: unknown): WebhookRequest {
  return { headers: {}, body, raw: state as never };
}

const reader = (logger = new CapturedLogs(), requireRawBody = false) => new RequestBodyReader(1024, requireRawBody, logger);

describe('RequestBodyReader', () => {
  describe('reads the stream only when nothing has touched it', () => {
    it.each([
      ['it was never readable', { readable: false, readableEnded: false, readableDidRead: false }],
      ['it has ended', { readable: true, readableEnded: true, readableDidRead: false }],
      ['something has read from it', { readable: true, readableEnded: false, readableDidRead: true }],
    ])('falls back to the parsed body when %s', async (_case, state) => {
      const body = await reader().read(inState(state, { call_sid: 'abc' }));
      expect(body).toEqual({ bytes: '{"call_sid":"abc"}', source: 'reserialized', invalidJson: false });
    });

    it("reads Fastify's Node request underneath, and keeps the bytes as rawBody", async () => {
      const raw = unread(BYTES);
      // Fastify's request.raw is the Node IncomingMessage; a bare stream stands in for it here.
      const request: WebhookRequest = { headers: { 'content-type': 'application/json' }, raw: raw as unknown as IncomingMessage };
      const body = await reader().read(request);
      expect(body).toEqual({ bytes: BYTES, source: 'stream', invalidJson: false });
      expect(request.rawBody).toEqual(BYTES);
      expect(request.body).toEqual(JSON.parse(TEXT));
    });

    it('leaves a body that something else already set, whatever the bytes', async () => {
      const request = unread(Buffer.from('{"broken"'));
      request.body = { set: 'elsewhere' };
      const body = await reader().read(request);
      expect(body).toEqual({ bytes: Buffer.from('{"broken"'), source: 'stream', invalidJson: false });
      expect(request.body).toEqual({ set: 'elsewhere' });
    });
  });

  describe('parses a JSON content type for the handler', () => {
    it.each([
      'application/json',
      'application/json; charset=utf-8',
      'application/json;charset=utf-8',
      'application/json ; charset=utf-8',
      'APPLICATION/JSON',
      'application/vnd.jambonz+json',
      'application/merge-patch+json',
      'application/a.b+json',
    ])('%s', async (type) => {
      const request = unread(BYTES, { 'content-type': type });
      const body = await reader().read(request);
      expect(request.body).toEqual(JSON.parse(TEXT));
      expect(body.invalidJson).toBe(false);
    });

    it('reads the first content type of a header sent twice', async () => {
      const request = unread(BYTES, { 'content-type': ['application/json', 'text/plain'] });
      await reader().read(request);
      expect(request.body).toEqual(JSON.parse(TEXT));
    });

    it('flags bytes that do not parse as the JSON the type announces', async () => {
      const request = unread(Buffer.from('{"call_sid":'), { 'content-type': 'application/json; charset=utf-8' });
      expect((await reader().read(request)).invalidJson).toBe(true);
      expect(request.body).toBeUndefined();
    });
  });

  describe('leaves any other content type unparsed, even when the bytes are JSON', () => {
    it.each([
      ['text/plain', { 'content-type': 'text/plain' }],
      ['application/jsonp', { 'content-type': 'application/jsonp' }],
      ['application/json-seq', { 'content-type': 'application/json-seq' }],
      ['application/+json', { 'content-type': 'application/+json' }],
      ['x-application/json', { 'content-type': 'x-application/json' }],
      ['application/x-www-form-urlencoded', { 'content-type': 'application/x-www-form-urlencoded' }],
      ['no content type', {}],
    ])('%s', async (_case, headers) => {
      const request = unread(BYTES, headers);
      const body = await reader().read(request);
      expect(body).toEqual({ bytes: BYTES, source: 'stream', invalidJson: false });
      expect(request.body).toBeUndefined();
    });
  });

  describe('stream failures', () => {
    /** A request stream that fails with `error` once read. */
    function failing(error: Error) {
      const stream = new PassThrough() as PassThrough & WebhookRequest;
      stream.headers = { 'content-type': 'application/json' };
      stream.once('resume', () => setImmediate(() => stream.destroy(error)));
      return stream;
    }

    it('answers 413 over the limit', async () => {
      await expect(new RequestBodyReader(10, false, new CapturedLogs()).read(unread(Buffer.alloc(11)))).rejects.toBeInstanceOf(
        PayloadTooLargeException,
      );
    });

    it('accepts a body of exactly the limit', async () => {
      const body = await new RequestBodyReader(11, false, new CapturedLogs()).read(unread(Buffer.alloc(11, 0x61), {}));
      expect(body.bytes).toEqual(Buffer.alloc(11, 0x61));
    });

    it('answers 400 for fewer bytes than the Content-Length', async () => {
      const short = unread(BYTES);
      short.headers['content-length'] = String(BYTES.length + 5);
      await expect(reader().read(short)).rejects.toBeInstanceOf(BadRequestException);
    });

    it.each([400, 404, 499])('answers 400 for a client error (status %p)', async (status) => {
      await expect(reader().read(failing(Object.assign(new Error('client'), { status })))).rejects.toBeInstanceOf(
        BadRequestException,
      );
    });

    it.each<[string, Error]>([
      ['an error without a status', new Error('disk on fire')],
      ['a server error', Object.assign(new Error('server'), { status: 500 })],
      ['a 3xx status', Object.assign(new Error('odd'), { status: 399 })],
      ['a status that is not a number', Object.assign(new Error('odd'), { status: '400' })],
    ])('passes on %s unchanged', async (_case, error) => {
      await expect(reader().read(failing(error))).rejects.toBe(error);
    });
  });

  describe('the re-serialising fallback', () => {
    const parsed = (body: unknown) => inState({ readable: false, readableEnded: true, readableDidRead: true }, body);

    it('warns once per reader, with the fix', async () => {
      const logger = new CapturedLogs();
      const bodies = reader(logger);
      await bodies.read(parsed({ a: 1 }));
      await bodies.read(parsed({ a: 2 }));
      expect(logger.entries).toEqual([
        {
          level: 'warn',
          message:
            'Verifying jambonz signatures over JSON.stringify(req.body) because req.rawBody is missing. ' +
            'Create the app with NestFactory.create(AppModule, { rawBody: true }) to verify the exact bytes received.',
        },
      ]);
    });

    it('takes a string body as it is', async () => {
      expect(await reader().read(parsed('{"a": 1}'))).toEqual({ bytes: '{"a": 1}', source: 'reserialized', invalidJson: false });
    });

    it('refuses with body_unavailable, without warning, when raw bytes are required', async () => {
      const logger = new CapturedLogs();
      await expect(reader(logger, true).read(parsed({ a: 1 }))).rejects.toMatchObject({
        reason: 'body_unavailable',
        message: 'body_unavailable: requireRawBody is set and the request has no raw body',
      });
      expect(logger.entries).toEqual([]);
    });

    it('prefers rawBody even when raw bytes are not required, and ignores a rawBody that is not bytes', async () => {
      const logger = new CapturedLogs();
      const raw = Buffer.from(TEXT);
      expect(await reader(logger).read({ ...parsed({ other: true }), rawBody: raw })).toEqual({
        bytes: raw,
        source: 'raw-body',
        invalidJson: false,
      });
      expect((await reader(logger).read({ ...parsed({ a: 1 }), rawBody: TEXT })).source).toBe('reserialized');
      expect(await reader(logger).read(parsed(new Uint8Array(raw)))).toEqual({
        bytes: new Uint8Array(raw),
        source: 'raw-body',
        invalidJson: false,
      });
    });
  });
});
