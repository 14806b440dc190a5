import { BadRequestException } from '@nestjs/common';
import { withDecisionReason } from './observability/jambonz-auth-decision.factory.js';
import { headerValue } from './webhook-request.util.js';
import type { WebhookRequest } from './webhook-request.interface.js';

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/**
 * When the module read the body from the stream itself (the app's body parser is off), gives
 * the handler, once the request is authenticated, the parsed body the app's parser would have:
 * a JSON body becomes `req.body`. An empty body, or any other content type, leaves `req.body` alone.
 *
 * @param bytes the verified body.
 * @throws BadRequestException (400) when the content type says JSON and the bytes do not parse.
 */
export function adoptJsonBody(request: WebhookRequest, bytes: Uint8Array | string): void {
  if (request.body !== undefined || bytes.length === 0 || !isJson(request)) {
    return;
  }
  try {
    request.body = JSON.parse(textOf(bytes));
  } catch {
    throw withDecisionReason(new BadRequestException('The body is not valid JSON'), 'body_unreadable');
  }
}

/**
 * What {@link adoptJsonBody} would make of a body the module read from the stream, without
 * adopting it or refusing anything: for the secret resolver, which picks secrets by the (not yet
 * verified) `account_sid` before the signature is checked.
 *
 * @returns `req.body` when the app's parser filled it; else the parsed JSON, or `undefined` when
 *   the content type is not JSON or the bytes do not parse.
 */
export function peekJsonBody(request: WebhookRequest, bytes: Uint8Array | string): unknown {
  if (request.body !== undefined || !isJson(request)) return request.body;
  try {
    return JSON.parse(textOf(bytes));
  } catch {
    return undefined;
  }
}

/** `application/json`, with no charset or UTF-8's: the only content type jambonz signs and sends. */
const JAMBONZ_JSON = /^application\/json\s*(?:;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

/**
 * True when a signed request's body is what jambonz sends, `application/json` in UTF-8. Any other
 * type or charset would make the app's body parser (which runs before the guard) decode the
 * verified bytes into something else: `charset=utf-7`, or the whole JSON text as a form field.
 */
export function isJambonzJson(request: Pick<WebhookRequest, 'headers'>): boolean {
  return JAMBONZ_JSON.test(headerValue(request, 'content-type') ?? '');
}

function isJson(request: WebhookRequest): boolean {
  return JSON_TYPE.test(headerValue(request, 'content-type') ?? '');
}

function textOf(bytes: Uint8Array | string): string {
  return typeof bytes === 'string' ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}
