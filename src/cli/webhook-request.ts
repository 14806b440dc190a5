import { basicAuthorization } from '../core/basic-credentials.js';
import { generateSignatureHeader, type BasicCredentials } from '../core/index.js';

/** The HTTP methods a jambonz hook can use. */
export type WebhookMethod = 'POST' | 'GET';

/** What to put in a webhook request. */
export interface WebhookRequestSpec {
  readonly method: WebhookMethod;
  /** The exact body, `JSON.stringify(payload)`; signed always, sent only with POST. */
  readonly body: string;
  /** The webhook secret to sign with; `undefined` sends no `Jambonz-Signature`. */
  readonly secret: string | undefined;
  /** `t` of the signature, whole Unix seconds. */
  readonly timestamp: number;
  /** Basic credentials; `undefined` sends no `Authorization`. */
  readonly credentials: BasicCredentials | undefined;
  /** Extra headers, sent last: one with the name of a header above (any case) replaces it. */
  readonly extraHeaders?: ReadonlyArray<readonly [string, string]>;
}

/** A webhook request ready to send: headers in the order they go out. */
export interface WebhookRequest {
  readonly method: WebhookMethod;
  readonly headers: Array<[string, string]>;
  /** `undefined` for GET: jambonz sends no body, and no query string, on a GET hook. */
  readonly body: string | undefined;
}

/**
 * Builds the request jambonz's feature server makes for a hook (`lib/utils/http-requestor.js`):
 * `Jambonz-Signature` over the body, `Authorization: Basic` when the hook has credentials, and on
 * POST `Content-Type: application/json` and the body itself. On GET, jambonz still signs the
 * payload but sends neither body nor content type, so the signature cannot be verified by the
 * receiver; it is sent all the same, as jambonz does.
 *
 * @throws TypeError from `generateSignatureHeader` when `timestamp` is not whole Unix seconds
 *   between 0 and 9999999999.
 */
export function buildWebhookRequest(spec: WebhookRequestSpec): WebhookRequest {
  const headers: Array<[string, string]> = [];
  if (spec.secret !== undefined) {
    headers.push(['Jambonz-Signature', generateSignatureHeader(spec.body, spec.secret, { timestamp: spec.timestamp })]);
  }
  if (spec.credentials) {
    headers.push(['Authorization', basicAuthorization(spec.credentials)]);
  }
  if (spec.method === 'POST') {
    headers.push(['Content-Type', 'application/json']);
  }
  for (const [name, value] of spec.extraHeaders ?? []) {
    const at = headers.findIndex(([existing]) => existing.toLowerCase() === name.toLowerCase());
    if (at >= 0) headers.splice(at, 1);
    headers.push([name, value]);
  }
  return { method: spec.method, headers, body: spec.method === 'POST' ? spec.body : undefined };
}
