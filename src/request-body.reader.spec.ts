import { Readable } from 'node:stream';
import { PayloadTooLargeException, type LoggerService } from '@nestjs/common';
import { JambonzAuthError } from './core/index.js';
import { RequestBodyReader } from './request-body.reader.js';
import type { WebhookRequest } from './webhook-request.js';

/** A logger that keeps its warnings. */
function warnings(): LoggerService & { lines: string[] } {
  const lines: string[] = [];
  return { lines, log: () => undefined, error: () => undefined, warn: (m: unknown) => void lines.push(String(m)) };
}

/** A request whose body is still in its stream, delivered one byte per chunk. */
function streamingRequest(bytes: Buffer, contentType = 'application/json'): WebhookRequest & Readable {
  const stream = Readable.from(
    Array.from(bytes, (byte) => Buffer.of(byte)),
    { objectMode: false },
  ) as Readable & WebhookRequest;
  stream.headers = { 'content-type': contentType, 'content-length': String(bytes.length) };
  return stream;
}

/** A request whose stream a body parser already consumed (the state Node leaves a read stream in). */
function parsedRequest(body: unknown, extra: Partial<WebhookRequest> = {}): WebhookRequest {
  const raw = { readable: false, readableEnded: true, readableDidRead: true };
  return { headers: {}, body, raw: raw as never, ...extra };
}

describe('RequestBodyReader', () => {
  const text = JSON.stringify({ caller_name: '王小明 📞', text: 'Olá' });

  it('reads an unread stream, whatever the chunking, keeps the bytes and hands the handler the parsed JSON', async () => {
    const request = streamingRequest(Buffer.from(text, 'utf8'));
    const body = await new RequestBodyReader(1024, false, warnings()).read(request);
    expect(body.source).toBe('stream');
    expect(Buffer.from(body.bytes).toString('utf8')).toBe(text);
    expect(request.rawBody).toEqual(Buffer.from(text, 'utf8'));
    expect(request.body).toEqual(JSON.parse(text));
    expect(body.invalidJson).toBe(false);
  });

  it('flags JSON that does not parse, and leaves other content types unparsed', async () => {
    const broken = await new RequestBodyReader(1024, false, warnings()).read(streamingRequest(Buffer.from('{"a":')));
    const plainRequest = streamingRequest(Buffer.from('a=1'), 'text/plain');
    const plain = await new RequestBodyReader(1024, false, warnings()).read(plainRequest);
    expect(broken.invalidJson).toBe(true);
    expect(plain.invalidJson).toBe(false);
    expect(plainRequest.body).toBeUndefined();
  });

  it('refuses a stream over the limit with 413', async () => {
    const reader = new RequestBodyReader(10, false, warnings());
    await expect(reader.read(streamingRequest(Buffer.alloc(11, 0x61)))).rejects.toBeInstanceOf(PayloadTooLargeException);
  });

  it('prefers rawBody, then a Buffer body, over everything else', async () => {
    const reader = new RequestBodyReader(1024, true, warnings());
    const raw = Buffer.from(text);
    expect(await reader.read(parsedRequest({ other: true }, { rawBody: raw }))).toEqual({
      bytes: raw,
      source: 'raw-body',
      invalidJson: false,
    });
    expect(await reader.read(parsedRequest(raw))).toEqual({ bytes: raw, source: 'raw-body', invalidJson: false });
  });

  it('falls back to JSON.stringify(req.body), warning once', async () => {
    const log = warnings();
    const reader = new RequestBodyReader(1024, false, log);
    const payload = JSON.parse(text);
    expect((await reader.read(parsedRequest(payload))).bytes).toBe(text);
    expect((await reader.read(parsedRequest('as text'))).bytes).toBe('as text');
    expect((await reader.read(parsedRequest(undefined))).bytes).toBe('');
    expect(log.lines).toHaveLength(1);
  });

  it('refuses the fallback with body_unavailable when raw bytes are required', async () => {
    const reader = new RequestBodyReader(1024, true, warnings());
    await expect(reader.read(parsedRequest({ a: 1 }))).rejects.toBeInstanceOf(JambonzAuthError);
    await expect(reader.read(parsedRequest({ a: 1 }))).rejects.toMatchObject({ reason: 'body_unavailable' });
  });
});
