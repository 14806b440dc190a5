/**
 * Why a webhook request was refused. Machine-readable, stable across releases, and safe to log:
 * a reason never contains a secret, a credential or an expected signature.
 *
 * - `missing_signature`: no `Jambonz-Signature` header.
 * - `malformed_signature`: the header breaks the grammar `t=<digits>,v1=<64 hex>[,...]`, or goes
 *   over the parser's caps (see {@link SIGNATURE_HEADER_LIMITS}).
 * - `timestamp_out_of_tolerance`: `t` is further from now than the tolerance, in either direction.
 * - `signature_mismatch`: no `v1` matches the HMAC of the body under any configured secret.
 * - `signature_unverifiable`: only a signature was acceptable, but the request cannot carry a
 *   verifiable one (a GET: jambonz signs a payload it does not send).
 * - `no_secret`: the secret resolver returned no secret for this request.
 * - `secret_resolver_failed`: the secret resolver threw or rejected.
 * - `body_unavailable`: the exact body bytes were required and the request does not have them.
 * - `unsupported_content_type`: a signed body that is not `application/json` in UTF-8. jambonz
 *   sends only that; with another type or charset, the app's parser would hand the handler
 *   something other than the bytes the signature covers.
 * - `missing_credentials`: no `Authorization` header, or one with another scheme (Bearer...).
 * - `malformed_credentials`: an `Authorization: Basic` header that is not base64 of `user:pass`
 *   (RFC 7617 section 2), or whose user or password is empty.
 * - `credentials_mismatch`: well-formed Basic credentials that match none configured.
 * - `subprotocol_mismatch`: a WebSocket upgrade to a jambonz gateway that does not offer the
 *   endpoint's subprotocol (`ws.jambonz.org` for the WebSocket API, `audio.jambonz.org` or
 *   `audio.drachtio.org` for an audio stream). jambonz always offers it, and drops a connection
 *   whose server does not select it.
 */
export type JambonzAuthReason =
  | 'missing_signature'
  | 'malformed_signature'
  | 'timestamp_out_of_tolerance'
  | 'signature_mismatch'
  | 'signature_unverifiable'
  | 'no_secret'
  | 'secret_resolver_failed'
  | 'body_unavailable'
  | 'unsupported_content_type'
  | 'missing_credentials'
  | 'malformed_credentials'
  | 'credentials_mismatch'
  | 'subprotocol_mismatch';

/**
 * The one error the core throws for a request that does not authenticate. `reason` says why;
 * `message` is a short English sentence built from the reason alone, so it is as safe to log
 * as the reason. Programming errors (a non-string secret, say) are `TypeError`s instead.
 */
export class JambonzAuthError extends Error {
  /** Always `'JambonzAuthError'`; {@link isJambonzAuthError} relies on it across package copies. */
  override readonly name = 'JambonzAuthError';

  /**
   * @param reason why the request was refused.
   * @param detail optional extra words for the log. Callers pass only what the sender already
   *   knows (never a secret or an expected value).
   */
  constructor(
    readonly reason: JambonzAuthReason,
    detail?: string,
  ) {
    super(detail ? `${reason}: ${detail}` : reason);
  }
}

/** True when `error` is a {@link JambonzAuthError}, also one thrown by another copy of this package. */
export function isJambonzAuthError(error: unknown): error is JambonzAuthError {
  return (
    error instanceof JambonzAuthError ||
    (error instanceof Error && error.name === 'JambonzAuthError' && typeof (error as JambonzAuthError).reason === 'string')
  );
}
