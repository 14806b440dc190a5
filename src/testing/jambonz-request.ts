import { basicAuthorization } from '../core/basic-credentials.js';
import { generateSignatureHeader, type BasicCredentials } from '../core/index.js';

/** The HTTP methods a jambonz hook can be configured with (POST is jambonz's default). */
export type JambonzHookMethod = 'POST' | 'GET';

/** Options of {@link buildJambonzRequest}. */
export interface JambonzRequestOptions {
  /** The hook's method. Default `'POST'`. */
  method?: JambonzHookMethod;
  /**
   * The webhook secret to sign with. Absent: no `Jambonz-Signature`, as jambonz sends for an
   * account without a webhook secret.
   */
  secret?: string;
  /** `t` of the signature, whole Unix seconds. Default: now. Use `now - 301` for a stale request. */
  timestamp?: number;
  /** Send `Authorization: Basic` with these credentials, as jambonz does when the hook has both a username and a password. */
  basicAuth?: BasicCredentials;
}

/**
 * A webhook request as jambonz's feature server makes it: the method, the headers in the order
 * and the case jambonz writes them, and the exact body.
 */
export interface JambonzRequest {
  /** `POST` or `GET`, as the hook is configured. */
  readonly method: JambonzHookMethod;
  /**
   * `[name, value]` pairs, in jambonz's order: `Jambonz-Signature` (when signed),
   * `Authorization` (when `basicAuth` was given), `user-agent: jambonz`, and on POST
   * `Content-Type: application/json`.
   */
  readonly headers: ReadonlyArray<readonly [name: string, value: string]>;
  /**
   * The body to send, byte for byte (the string as UTF-8), which is also what was signed; `undefined` on GET:
   * jambonz signs the payload of a GET hook but sends neither a body nor a query string.
   */
  readonly body: string | undefined;
}

/**
 * Builds the request jambonz makes to a hook, the one implementation behind `signWebhook` and
 * `jambonz-webhook`. Source: feature server `lib/utils/http-requestor.js` (see the project's
 * JAMBONZ-FACTS.md):
 * - headers, in order: `Jambonz-Signature: t=<t>,v1=<hex>` (the HMAC-SHA256 of `<t>.<body>`
 *   under the secret), `Authorization: Basic ...` when the hook has both a username and a
 *   password, `user-agent: jambonz`, and on POST only `Content-Type: application/json`;
 * - on POST the body is `JSON.stringify(payload)`, the very string that was signed;
 * - on GET jambonz still signs the payload but sends no body, so the receiver cannot verify the
 *   signature (a GET hook can only be authenticated by Basic credentials); the header is sent
 *   all the same, as jambonz sends it.
 *
 * jambonz may also send a `b3` tracing header (between `Authorization` and `user-agent`); it
 * carries no authentication and is left out.
 *
 * @param payload what jambonz would post. The body is `JSON.stringify(payload)` (compact,
 *   non-ASCII as raw UTF-8, keys in their order), or the string itself when `payload` is a
 *   string, so that a test can send exact bytes; `null` gives `'null'`, the body jambonz sends
 *   for a hook without parameters.
 * @throws TypeError when `payload` has no JSON form (`undefined`, a function, a symbol), when
 *   `method` is neither `'POST'` nor `'GET'`, and from `generateSignatureHeader` when `secret`
 *   is empty or `timestamp` is not whole Unix seconds from 0 to 9999999999; whatever
 *   `JSON.stringify` throws (a BigInt, a circular object).
 */
export function buildJambonzRequest(payload: unknown, options: JambonzRequestOptions = {}): JambonzRequest {
  const method = options.method ?? 'POST';
  if (method !== 'POST' && method !== 'GET') {
    throw new TypeError(
      `buildJambonzRequest: method must be 'POST' or 'GET' (jambonz hooks use no other), not ${String(method)}`,
    );
  }
  const body = typeof payload === 'string' ? payload : (JSON.stringify(payload) as string | undefined);
  if (body === undefined) {
    throw new TypeError('buildJambonzRequest: the payload has no JSON form (undefined, a function or a symbol)');
  }
  const headers: Array<readonly [string, string]> = [];
  if (options.secret !== undefined) {
    headers.push(['Jambonz-Signature', generateSignatureHeader(body, options.secret, { timestamp: options.timestamp })]);
  }
  if (options.basicAuth) {
    headers.push(['Authorization', basicAuthorization(options.basicAuth)]);
  }
  headers.push(['user-agent', 'jambonz']);
  if (method === 'POST') {
    headers.push(['Content-Type', 'application/json']);
  }
  return { method, headers, body: method === 'POST' ? body : undefined };
}
