import { BadRequestException } from '@nestjs/common';
import { headerValue } from './webhook-request.util.js';
import type { WebhookRequest } from './webhook-request.interface.js';

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/**
 * When the module read the body from the stream itself (the app's body parser is off), gives
 * the handler, once the request is authenticated, the parsed body the app's parser would have:
 * a JSON body becomes `req.body`. Any other content type leaves `req.body` alone.
 *
 * @param bytes the verified body.
 * @throws BadRequestException (400) when the content type says JSON and the bytes do not parse.
 */
export function adoptJsonBody(request: WebhookRequest, bytes: Uint8Array | string): void {
  if (request.body !== undefined || !JSON_TYPE.test(headerValue(request, 'content-type') ?? '')) {
    return;
  }
  try {
    const text =
      typeof bytes === 'string' ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
    request.body = JSON.parse(text);
  } catch {
    throw new BadRequestException('The body is not valid JSON');
  }
}
