import type { IncomingMessage } from 'node:http';
import { BadRequestException, PayloadTooLargeException, type LoggerService } from '@nestjs/common';
import { JambonzAuthError } from './core/index.js';
import { withDecisionReason } from './observability/jambonz-auth-decision.factory.js';
import { capturedBodies } from './request-state.js';
import type { WebhookRequest } from './webhook-request.interface.js';
import { announcesBody } from './webhook-request.util.js';

/**
 * Where the verified bytes came from:
 * - `raw-body`: `req.rawBody` (the app was created with `{ rawBody: true }`, or its own parser's
 *   `verify` keeps the bytes or their UTF-8 text), what the module
 *   copied as Fastify read the body, or a Buffer body (`express.raw()`): exactly what was sent.
 * - `stream`: the module read the request stream itself (the app's body parser is off):
 *   exactly what was sent.
 * - `reserialized`: `JSON.stringify(req.body)`, only with `allowReserializedBody`. Equal to
 *   what jambonz sent for every body jambonz produces (it sends `JSON.stringify(payload)` and a
 *   parse/stringify round trip of that is the identity), but not for arbitrary JSON:
 *   pretty-printed bodies, `1.0`, `1E3`, integers above 2^53, `\u00e9` escapes, duplicate keys,
 *   or a body re-wrapped as a JSON string come out different and are refused.
 */
export type RequestBodySource = 'raw-body' | 'stream' | 'reserialized';

/** The bytes to verify, and where they came from. */
export interface RequestBodyBytes {
  readonly bytes: Uint8Array | string;
  readonly source: RequestBodySource;
}

/** The one-line fix for an app whose body parser drops the raw bytes. */
export const RAW_BODY_FIX = 'create the app with NestFactory.create(AppModule, { rawBody: true })';

/**
 * Finds the exact bytes of a request body, whichever way the app was set up (see
 * {@link RequestBodySource}). Answers synchronously when the bytes are already there. One
 * instance per guard: its warnings are logged once.
 */
export class RequestBodyReader {
  private warned = false;

  /**
   * @param maxBodyBytes largest body read from the stream, in bytes.
   * @param allowReserialized verify `JSON.stringify(req.body)` when the raw bytes are gone,
   *   instead of refusing.
   */
  constructor(
    private readonly maxBodyBytes: number,
    private readonly allowReserialized: boolean,
    private readonly logger: LoggerService,
  ) {}

  /**
   * @throws JambonzAuthError `body_unavailable` when the raw bytes are gone and the fallback is
   *   not allowed, or when the parsed body cannot be re-serialised (nested too deep).
   * @throws PayloadTooLargeException (413) when the module reads the stream and the body is over
   *   `maxBodyBytes`; BadRequestException (400) when the client aborts or sends fewer or more
   *   bytes than its `Content-Length`.
   */
  read(request: WebhookRequest): RequestBodyBytes | Promise<RequestBodyBytes> {
    const captured = capturedBodies.get(request);
    const rawBody = request.rawBody;
    if (rawBody instanceof Uint8Array || typeof rawBody === 'string') {
      // The app's parser keeps the raw body: the Fastify hook's copy is not needed any more.
      if (captured) captured.hook.needed = false;
      // A string is what some apps' own `verify` keeps (buf.toString()): its UTF-8 bytes are what
      // was sent, unless that was not UTF-8, which then fails the signature check.
      return { bytes: rawBody, source: 'raw-body' };
    }
    if (captured !== undefined) {
      return { bytes: captured.bytes, source: 'raw-body' };
    }
    if (request.body instanceof Uint8Array) {
      return { bytes: request.body, source: 'raw-body' };
    }
    const incoming = request.raw ?? (request as unknown as IncomingMessage);
    if (isUnread(incoming)) {
      return readStream(incoming, this.maxBodyBytes).then((bytes) => {
        request.rawBody = bytes;
        return { bytes, source: 'stream' };
      });
    }
    return this.reserialize(request);
  }

  /**
   * Reads the body from the stream when nobody has (the app's body parser is off), for a request
   * authenticated without its body; `undefined` when there is nothing left to read.
   * @throws (rejects with) PayloadTooLargeException (413) or BadRequestException (400) as {@link read}.
   */
  readUnread(request: WebhookRequest): Promise<Buffer> | undefined {
    const incoming = request.raw ?? (request as unknown as IncomingMessage);
    if (request.rawBody !== undefined || !isUnread(incoming) || !announcesBody(incoming)) return undefined;
    return readStream(incoming, this.maxBodyBytes).then((bytes) => {
      request.rawBody = bytes;
      return bytes;
    });
  }

  private reserialize(request: WebhookRequest): RequestBodyBytes {
    if (!this.allowReserialized) {
      this.warnOnce(
        `refusing jambonz webhooks: the request has no raw body. To verify the exact bytes received, ${RAW_BODY_FIX}.`,
      );
      throw new JambonzAuthError('body_unavailable', 'no raw body');
    }
    this.warnOnce(`verifying jambonz signatures over JSON.stringify(req.body) because req.rawBody is missing. ${RAW_BODY_FIX}.`);
    let text: string | undefined;
    try {
      // Always re-serialise, a string body included: a body sent as a JSON string literal must
      // verify as that literal, not as the text inside it, which the handler would not receive.
      text = JSON.stringify(request.body);
    } catch {
      // A hostile body nested deeply enough overflows the stack (RangeError): nothing to verify.
      throw new JambonzAuthError('body_unavailable', 'the parsed body cannot be re-serialised');
    }
    return { bytes: text ?? '', source: 'reserialized' };
  }

  private warnOnce(message: string): void {
    if (this.warned) return;
    this.warned = true;
    this.logger.warn(message);
  }
}

/** True when nothing has read the request stream: the app's body parser is off for it. */
function isUnread(stream: Partial<IncomingMessage>): boolean {
  return stream.readable === true && stream.readableEnded === false && stream.readableDidRead === false;
}

/**
 * Reads a whole request body, at most `limit` bytes: a declared `Content-Length` over the limit
 * is refused before reading, a stream that grows past it is refused on the way.
 */
async function readStream(stream: IncomingMessage, limit: number): Promise<Buffer> {
  const header = stream.headers['content-length'];
  const declared = header === undefined ? undefined : Number(header);
  if (declared !== undefined && declared > limit) {
    throw withDecisionReason(new PayloadTooLargeException(), 'body_too_large');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) throw withDecisionReason(new PayloadTooLargeException(), 'body_too_large');
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof PayloadTooLargeException) throw error;
    throw withDecisionReason(new BadRequestException(), 'body_unreadable'); // the client aborted
  }
  if (declared !== undefined && size !== declared) {
    throw withDecisionReason(new BadRequestException(), 'body_unreadable');
  }
  return Buffer.concat(chunks, size);
}
