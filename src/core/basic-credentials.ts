import { constantTimeEqual, sha256 } from './constant-time.js';
import { JambonzAuthError } from './jambonz-auth.error.js';

/** HTTP Basic credentials (RFC 7617): a user-id without `:` and a password that may contain `:`. */
export interface BasicCredentials {
  /** The user-id: non-empty, without `:`; compared as UTF-8. */
  readonly username: string;
  /** The password: non-empty, may contain `:`; compared as UTF-8. */
  readonly password: string;
}

const BASIC_SCHEME = /^[ \t]*basic(?:[ \t]|$)/i;
/** The token grammar of jshttp's `basic-auth`: scheme, spaces, one token68, optional spaces. */
const BASIC_CREDENTIALS = /^ *basic +([A-Za-z0-9._~+/-]+=*) *$/i;

/**
 * Parses an `Authorization: Basic` header per RFC 7617: the scheme name in any case, spaces
 * around the token, `base64(utf8(user ":" pass))` split at the first colon, so the password may
 * contain colons. The token must be canonical base64 (RFC 4648 section 4, padded) of valid
 * UTF-8; anything looser is refused rather than guessed at.
 *
 * The password is split off at the first colon by hand rather than with the `basic-auth`
 * package: its `/^([^:]*):(.*)$/` refuses a password containing a line terminator (`\n`, `\r`,
 * U+2028, U+2029), which jambonz sends like any other character.
 *
 * @param header the `Authorization` header value.
 * @throws JambonzAuthError `missing_credentials` when the header is absent or uses another scheme
 *   (Bearer, Digest...); `malformed_credentials` when the Basic token is not canonical base64 of
 *   valid UTF-8 `user:pass`, has a second token, or the user or the password is empty.
 */
export function parseBasicAuthorization(header: string | undefined | null): BasicCredentials {
  if (typeof header !== 'string' || !BASIC_SCHEME.test(header)) {
    throw new JambonzAuthError('missing_credentials');
  }
  const token = BASIC_CREDENTIALS.exec(header)?.[1];
  if (token === undefined) {
    throw new JambonzAuthError('malformed_credentials');
  }
  const userPass = Buffer.from(token, 'base64').toString('utf8');
  if (Buffer.from(userPass, 'utf8').toString('base64') !== token) {
    throw new JambonzAuthError('malformed_credentials', 'not canonical base64 of UTF-8');
  }
  const colon = userPass.indexOf(':');
  if (colon <= 0 || colon === userPass.length - 1) {
    throw new JambonzAuthError('malformed_credentials');
  }
  return { username: userPass.slice(0, colon), password: userPass.slice(colon + 1) };
}

/**
 * Checks `Authorization: Basic` headers against one or more configured credential pairs.
 * Built once from the configuration; the SHA-256 digests of the expected values are computed
 * here, so each request compares fixed-size digests and its time does not depend on the length
 * or content of what was sent.
 */
export class BasicCredentialsVerifier {
  private readonly expected: ReadonlyArray<{ readonly username: Buffer; readonly password: Buffer }>;

  /**
   * @param credentials the accepted pairs (several allow rotation).
   * @throws TypeError when there is no pair, or a username or password is not a non-empty
   *   string, or a username contains `:` (RFC 7617 section 2 forbids it).
   */
  constructor(credentials: BasicCredentials | readonly BasicCredentials[]) {
    const list: readonly BasicCredentials[] = Array.isArray(credentials) ? credentials : [credentials as BasicCredentials];
    if (list.length === 0) {
      throw new TypeError('BasicCredentialsVerifier: at least one credential pair is required');
    }
    this.expected = list.map(({ username, password }) => {
      if (typeof username !== 'string' || username === '' || username.includes(':')) {
        throw new TypeError('BasicCredentialsVerifier: username must be a non-empty string without ":"');
      }
      if (typeof password !== 'string' || password === '') {
        throw new TypeError('BasicCredentialsVerifier: password must be a non-empty string');
      }
      return { username: sha256(username), password: sha256(password) };
    });
  }

  /**
   * @param header the request's `Authorization` header.
   * @returns the username that matched.
   * @throws JambonzAuthError `missing_credentials`, `malformed_credentials` (see
   *   {@link parseBasicAuthorization}) or `credentials_mismatch`.
   */
  verify(header: string | undefined | null): string {
    const { username, password } = parseBasicAuthorization(header);
    const user = sha256(username);
    const pass = sha256(password);
    let matched = false;
    for (const pair of this.expected) {
      // Both comparisons always run: `&` does not short-circuit.
      matched =
        (Number(constantTimeEqual(user, pair.username)) & Number(constantTimeEqual(pass, pair.password))) === 1 || matched;
    }
    if (!matched) {
      throw new JambonzAuthError('credentials_mismatch');
    }
    return username;
  }
}
