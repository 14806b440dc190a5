import { constantTimeEqual, sha256 } from './constant-time.js';
import { JambonzAuthError } from './jambonz-auth.error.js';
import { isPlaceholder } from './placeholder.js';
import { isInvisible } from './webhook-secret.js';

/** HTTP Basic credentials (RFC 7617): a user-id without `:` and a password that may contain `:`. */
export interface BasicCredentials {
  /** The user-id: non-empty, without `:`; compared as UTF-8. */
  readonly username: string;
  /** The password: non-empty, may contain `:`; compared as UTF-8. */
  readonly password: string;
}

/** The scheme name, in any case, before anything else: tells Basic from Bearer, Digest... */
const BASIC_SCHEME = /^[ \t]*basic(?:[ \t]|$)/i;

/**
 * The whole header: the scheme, one or more spaces, one token of the standard base64 alphabet
 * (RFC 4648 section 4) with its padding, optional spaces. Anything else is malformed.
 */
const BASIC_HEADER = /^ *basic +([A-Za-z0-9+/]+={0,2}) *$/i;

/**
 * Characters a user-id or password cannot hold: controls, which RFC 7617 section 2 forbids, and
 * U+2028 / U+2029, which end a line in JavaScript and in many log viewers. Configured
 * credentials with them are refused up front, so they cannot silently never match.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const UNSUPPORTED_CREDENTIAL_CHARACTERS = /[\u0000-\u001f\u007f\u2028\u2029]/;

/**
 * Parses an `Authorization: Basic` header per RFC 7617: the scheme name in any case, spaces
 * around the token, `base64(utf8(user ":" pass))` split at the first colon, so the password may
 * contain colons. The token must be canonical base64 (RFC 4648 section 4, padded) of valid
 * UTF-8; anything looser is refused rather than guessed at.
 *
 * @param header the `Authorization` header value.
 * @throws JambonzAuthError `missing_credentials` when the header is absent or uses another scheme
 *   (Bearer, Digest...); `malformed_credentials` when the Basic token is not canonical base64 of
 *   valid UTF-8 `user:pass`, has a second token or a tab, the user or the password is empty, or
 *   either holds a character of {@link UNSUPPORTED_CREDENTIAL_CHARACTERS}.
 */
export function parseBasicAuthorization(header: string | undefined | null): BasicCredentials {
  if (typeof header !== 'string' || !BASIC_SCHEME.test(header)) {
    throw new JambonzAuthError('missing_credentials');
  }
  const token = BASIC_HEADER.exec(header)?.[1];
  if (token === undefined) {
    throw new JambonzAuthError('malformed_credentials', 'not one base64 token after the scheme');
  }
  const decoded = Buffer.from(token, 'base64').toString('utf8');
  // Node's decoder forgives missing padding, stray bits and invalid UTF-8 (as U+FFFD): only a
  // token that encodes back to itself is exactly the bytes of `decoded`.
  if (Buffer.from(decoded, 'utf8').toString('base64') !== token) {
    throw new JambonzAuthError('malformed_credentials', 'not canonical base64 of UTF-8');
  }
  const colon = decoded.indexOf(':');
  if (colon <= 0 || colon === decoded.length - 1) {
    throw new JambonzAuthError('malformed_credentials', 'not a non-empty user and password separated by ":"');
  }
  if (UNSUPPORTED_CREDENTIAL_CHARACTERS.test(decoded)) {
    throw new JambonzAuthError('malformed_credentials', 'a control character or line separator');
  }
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * What makes a configured credential pair unusable, or `undefined` when it is fine (the one place
 * these rules live; {@link BasicCredentialsVerifier} and the module's option validation word the
 * answer their own way):
 * - `'shape'`: not an object;
 * - `'username'`: not a non-empty string, or contains `:` (RFC 7617 section 2: the user-id ends
 *   at the first colon);
 * - `'password'`: not a non-empty string;
 * - `'placeholder'`: the username or the password is what an unset variable turns into
 *   (`'undefined'`, `'null'`...; see `isPlaceholder`), never a real credential;
 * - `'invisible'`: the username or the password is only whitespace or invisible characters (a
 *   zero-width space, a byte-order mark), which a paste can produce and nobody can read back;
 * - `'characters'`: either holds a character of {@link UNSUPPORTED_CREDENTIAL_CHARACTERS}.
 */
export function credentialsProblem(
  pair: unknown,
): 'shape' | 'username' | 'password' | 'placeholder' | 'invisible' | 'characters' | undefined {
  if (typeof pair !== 'object' || pair === null) return 'shape';
  const { username, password } = pair as Partial<BasicCredentials>;
  if (typeof username !== 'string' || username === '' || username.includes(':')) return 'username';
  if (typeof password !== 'string' || password === '') return 'password';
  if (isPlaceholder(username) || isPlaceholder(password)) return 'placeholder';
  if (isInvisible(username) || isInvisible(password)) return 'invisible';
  if (UNSUPPORTED_CREDENTIAL_CHARACTERS.test(username) || UNSUPPORTED_CREDENTIAL_CHARACTERS.test(password)) {
    return 'characters';
  }
  return undefined;
}

/**
 * Builds the `Authorization` header value jambonz sends for a hook's credentials:
 * `Basic base64(utf8("user:pass"))` (RFC 7617 with the UTF-8 charset). The reverse of
 * {@link parseBasicAuthorization}; nothing is checked, for tests and tools.
 */
export function basicAuthorization({ username, password }: BasicCredentials): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

/** Which configured credentials a request's `Authorization: Basic` header matched. */
export interface CredentialsMatch {
  /** The username sent (and configured). */
  readonly username: string;
  /** The position of the matching pair in the configured list (0 for the first; 1 and up during a rotation). */
  readonly index: number;
}

const VERIFIER_PROBLEMS = {
  shape: 'each credential pair must be { username, password }',
  username: 'username must be a non-empty string without ":"',
  password: 'password must be a non-empty string',
  placeholder: 'username and password must not be "undefined", "null" or the like (an unset variable)',
  invisible: 'username and password must not be only whitespace or invisible characters',
  characters: 'credentials must not contain control characters or line separators (RFC 7617)',
} as const;

/**
 * Checks `Authorization: Basic` headers against one or more configured credential pairs.
 * Built once from the configuration; the SHA-256 digests of the expected values are computed
 * here, so each request compares fixed-size digests of every configured pair in constant time:
 * its timing reveals nothing about the configured credentials, neither their length nor how much
 * of them a request matched (hashing what was sent still takes longer for longer input).
 */
export class BasicCredentialsVerifier {
  private readonly expected: ReadonlyArray<{ readonly username: Buffer; readonly password: Buffer }>;

  /**
   * @param credentials the accepted pairs (several allow rotation).
   * @throws TypeError when there is no pair, or a pair breaks a rule of `credentialsProblem`
   *   (empty parts, `:` in the username, a placeholder value, control characters).
   */
  constructor(credentials: BasicCredentials | readonly BasicCredentials[]) {
    // Array.from: a hole in the array is checked as `undefined` (map would skip it).
    const list: readonly BasicCredentials[] = Array.isArray(credentials)
      ? Array.from(credentials)
      : [credentials as BasicCredentials];
    if (list.length === 0) {
      throw new TypeError('BasicCredentialsVerifier: at least one credential pair is required');
    }
    this.expected = list.map((pair) => {
      const problem = credentialsProblem(pair);
      if (problem !== undefined) {
        throw new TypeError(`BasicCredentialsVerifier: ${VERIFIER_PROBLEMS[problem]}`);
      }
      return { username: sha256(pair.username), password: sha256(pair.password) };
    });
  }

  /** How many credential pairs are accepted (rotation); {@link verifyIndex} answers a position below it. */
  get size(): number {
    return this.expected.length;
  }

  /**
   * @param header the request's `Authorization` header.
   * @returns the username that matched.
   * @throws JambonzAuthError `missing_credentials`, `malformed_credentials` (see
   *   {@link parseBasicAuthorization}) or `credentials_mismatch`.
   */
  verify(header: string | undefined | null): string {
    return this.verifyIndex(header).username;
  }

  /**
   * {@link verify}, also saying which configured pair matched (for rotation telemetry).
   * @returns the username sent and the position of the matching pair in the configured list.
   * @throws JambonzAuthError as {@link verify}.
   */
  verifyIndex(header: string | undefined | null): CredentialsMatch {
    const { username, password } = parseBasicAuthorization(header);
    const user = sha256(username);
    const pass = sha256(password);
    let index = -1;
    for (let i = 0; i < this.expected.length; i++) {
      const pair = this.expected[i]!;
      // Both comparisons always run, for every pair: `&` does not short-circuit.
      const both = Number(constantTimeEqual(user, pair.username)) & Number(constantTimeEqual(pass, pair.password));
      if (both === 1 && index === -1) index = i;
    }
    if (index === -1) {
      throw new JambonzAuthError('credentials_mismatch');
    }
    return { username, index };
  }
}
