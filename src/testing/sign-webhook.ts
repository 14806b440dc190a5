import { basicAuthorization } from '../core/basic-credentials.js';
import { generateSignatureHeader, type BasicCredentials } from '../core/index.js';

/**
 * A webhook secret for tests. Not jambonz's well-known seed-database secret, so the module
 * accepts it without `allowWellKnownSecret`; never use it outside tests.
 */
export const TEST_WEBHOOK_SECRET = 'wh_secret_testOnlyTestOnly00';

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
   * `content-type: application/json`, `jambonz-signature: t=...,v1=...`, and `authorization`
   * when `basicAuth` was given. Lower-case names, as Node delivers them.
   */
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * Signs a payload the way jambonz does: the body is `JSON.stringify(payload)` (compact, raw
 * UTF-8), or the string itself when `payload` is a string (to test exact bytes), and the
 * `Jambonz-Signature` header is the HMAC-SHA256 of `<t>.<body>` under the secret. The same idea as
 * stripe-node's `generateTestHeaderString`, with the body returned too, since the body must be
 * sent exactly as signed.
 *
 * @throws TypeError when `secret` is empty, `timestamp` is not whole Unix seconds, or `payload`
 *   has no JSON form (`undefined`, a function, a symbol); whatever `JSON.stringify` throws (a
 *   BigInt, a circular object).
 */
export function signWebhook(payload: unknown, options: SignWebhookOptions = {}): SignedWebhook {
  const body = typeof payload === 'string' ? payload : (JSON.stringify(payload) as string | undefined);
  if (body === undefined) {
    throw new TypeError('signWebhook: the payload has no JSON form (undefined, a function or a symbol)');
  }
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'jambonz-signature': generateSignatureHeader(body, options.secret ?? TEST_WEBHOOK_SECRET, { timestamp: options.timestamp }),
  };
  if (options.basicAuth) {
    headers.authorization = basicAuthorization(options.basicAuth);
  }
  return { body, headers };
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
