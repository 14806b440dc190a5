import type { IncomingMessage } from 'node:http';
import { BadRequestException, PayloadTooLargeException, type LoggerService } from '@nestjs/common';
import getRawBody from 'raw-body';
import { JambonzAuthError } from './core/index.js';
import { headerValue, type WebhookRequest } from './webhook-request.js';

/**
 * Where the verified bytes came from:
 * - `raw-body`: `req.rawBody` (the app was created with `{ rawBody: true }`) or a Buffer body
 *   (`express.raw()`): exactly what was sent.
 * - `stream`: the module read the request stream itself (the app's body parser is off):
 *   exactly what was sent.
 * - `reserialized`: `JSON.stringify(req.body)`. Equal to what jambonz sent for every body
 *   jambonz produces (it sends `JSON.stringify(payload)` and a parse/stringify round trip of that
 *   is the identity), but not for arbitrary JSON: pretty-printed bodies, `1.0`, `1E3`, integers
 *   above 2^53, `\u00e9` escapes or duplicate keys come out different and are refused.
 */
export type RequestBodySource = 'raw-body' | 'stream' | 'reserialized';

/** The bytes to verify, and where they came from. */
export interface RequestBodyBytes {
  readonly bytes: Uint8Array | string;
  readonly source: RequestBodySource;
  /** True when the module parsed a JSON body from the stream and it was not valid JSON. */
  readonly invalidJson: boolean;
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/**
 * Finds the exact bytes of a request body, whichever way the app was set up (see
 * {@link RequestBodySource}). One instance per guard: its fallback warning is logged once.
 */
export class RequestBodyReader {
  private warnedAboutFallback = false;

  /**
   * @param maxBodyBytes largest body read from the stream, in bytes.
   * @param requireRawBody refuse instead of falling back to `JSON.stringify(req.body)`.
   */
  constructor(
    private readonly maxBodyBytes: number,
    private readonly requireRawBody: boolean,
    private readonly logger: LoggerService,
  ) {}

  /**
   * @throws JambonzAuthError `body_unavailable` when only the fallback is possible and
   *   `requireRawBody` is set.
   * @throws PayloadTooLargeException (413) when the module reads the stream and the body is over
   *   `maxBodyBytes`; BadRequestException (400) when the client aborts or sends fewer bytes than
   *   its `Content-Length`.
   */
  async read(request: WebhookRequest): Promise<RequestBodyBytes> {
    if (request.rawBody instanceof Uint8Array) {
      return { bytes: request.rawBody, source: 'raw-body', invalidJson: false };
    }
    if (request.body instanceof Uint8Array) {
      return { bytes: request.body, source: 'raw-body', invalidJson: false };
    }
    const incoming = request.raw ?? (request as unknown as IncomingMessage);
    if (isUnread(incoming)) {
      const bytes = await this.readStream(incoming);
      request.rawBody = bytes;
      return { bytes, source: 'stream', invalidJson: !adoptJsonBody(request, bytes) };
    }
    if (this.requireRawBody) {
      throw new JambonzAuthError('body_unavailable', 'requireRawBody is set and the request has no raw body');
    }
    if (!this.warnedAboutFallback) {
      this.warnedAboutFallback = true;
      this.logger.warn(
        'Verifying jambonz signatures over JSON.stringify(req.body) because req.rawBody is missing. ' +
          'Create the app with NestFactory.create(AppModule, { rawBody: true }) to verify the exact bytes received.',
      );
    }
    const text = typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
    return { bytes: text ?? '', source: 'reserialized', invalidJson: false };
  }

  private async readStream(stream: IncomingMessage): Promise<Buffer> {
    try {
      return await getRawBody(stream, { limit: this.maxBodyBytes, length: stream.headers['content-length'] });
    } catch (error) {
      const status = (error as { status?: unknown }).status;
      if (status === 413) throw new PayloadTooLargeException();
      if (typeof status === 'number' && status >= 400 && status < 500) throw new BadRequestException();
      throw error;
    }
  }
}

/** True when nothing has read the request stream: the app's body parser is off for it. */
function isUnread(stream: Partial<IncomingMessage>): boolean {
  return stream.readable === true && stream.readableEnded === false && stream.readableDidRead === false;
}

/**
 * Gives the handler the parsed body that the app's body parser would have: a JSON body becomes
 * `req.body`. Any other content type leaves `req.body` alone.
 *
 * @returns false when the content type is JSON and the bytes do not parse.
 */
function adoptJsonBody(request: WebhookRequest, bytes: Buffer): boolean {
  if (request.body !== undefined || !JSON_TYPE.test(headerValue(request, 'content-type') ?? '')) {
    return true;
  }
  try {
    request.body = JSON.parse(bytes.toString('utf8'));
    return true;
  } catch {
    return false;
  }
}
