import type { BasicCredentials } from '../core/index.js';
import { buildJambonzRequest } from './jambonz-request.js';
import { TEST_WEBHOOK_SECRET } from './testing.constants.js';

/** Options of {@link signWebhook}. */
export interface SignWebhookOptions {
  /** The webhook secret to sign with. Default {@link TEST_WEBHOOK_SECRET}. */
  secret?: string;
  /** `t`, in Unix seconds. Default: now. Use `now - 301` to test a stale request. */
  timestamp?: number;
  /** Also send `Authorization: Basic` with these credentials, as jambonz does when the hook has them. */
  basicAuth?: BasicCredentials;
}

/** A webhook as jambonz would send it: the exact body and the headers that go with it. */
export interface SignedWebhook {
  /** The body to send, byte for byte: `JSON.stringify(payload)` for an object. */
  readonly body: string;
  /**
   * jambonz's headers, lower-case names as Node delivers them, in jambonz's order:
   * `jambonz-signature: t=...,v1=...`, `authorization` when `basicAuth` was given,
   * `user-agent: jambonz`, `content-type: application/json`.
   */
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * Signs a payload the way jambonz does and returns what a POST hook gets: the body is
 * `JSON.stringify(payload)` (compact, raw UTF-8), or the string itself when `payload` is a
 * string (to test exact bytes), and the headers are jambonz's, `Jambonz-Signature` being the
 * HMAC-SHA256 of `<t>.<body>` under the secret. The same idea as stripe-node's
 * `generateTestHeaderString`, with the body returned too, since the body must be sent exactly as
 * signed. A thin form of {@link buildJambonzRequest} (which also builds GET hooks and unsigned
 * requests) for clients that take a header object.
 *
 * @throws TypeError when `secret` is empty, `timestamp` is not whole Unix seconds, or `payload`
 *   has no JSON form (`undefined`, a function, a symbol); whatever `JSON.stringify` throws (a
 *   BigInt, a circular object).
 */
export function signWebhook(payload: unknown, options: SignWebhookOptions = {}): SignedWebhook {
  const request = buildJambonzRequest(payload, { ...options, method: 'POST', secret: options.secret ?? TEST_WEBHOOK_SECRET });
  const headers = Object.fromEntries(request.headers.map(([name, value]) => [name.toLowerCase(), value]));
  return { body: request.body!, headers };
}

/** The part of a supertest (superagent) request that {@link sendWebhook} uses. */
export interface WebhookRequestBuilder<T> {
  /** Sets request headers (supertest's `Test.set(object)`). */
  set(headers: Record<string, string>): T;
  /** Sends the body as given (a string is sent byte for byte). */
  send(body: string): T;
}

/**
 * Sets jambonz's headers on a supertest request and sends the signed body:
 *
 * ```ts
 * await sendWebhook(request(app.getHttpServer()).post('/call'), payload).expect(200);
 * ```
 *
 * @returns what `send()` returns: the supertest `Test`, to chain `.expect()` on or await.
 * @throws TypeError as {@link signWebhook}.
 */
export function sendWebhook<T extends WebhookRequestBuilder<T>>(
  request: T,
  payload: unknown,
  options: SignWebhookOptions = {},
): T {
  const { body, headers } = signWebhook(payload, options);
  return request.set({ ...headers }).send(body);
}
