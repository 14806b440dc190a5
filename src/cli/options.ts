import type { BasicCredentials } from '../core/index.js';
import { JAMBONZ_ENV, secretsOfEnv } from '../testing/jambonz-env.constants.js';
import { TEST_CREDENTIALS, TEST_WEBHOOK_SECRET } from '../testing/testing.constants.js';
import { option } from './command-line.js';
import { DEFAULT_BASE_URL, DEFAULT_ROUTE } from './defaults.js';
import { UsageError } from './exit-code.js';
import type { CliIo } from './io.js';

/*
 * Options shared by several commands, and how their defaults come from the environment. Defaults
 * are resolved here, after parsing, so that `--help` never prints the value of a secret taken
 * from the environment.
 */

/** The `<payload>` argument of `send` and `sign`, with its help line. */
export const PAYLOAD_OPERAND = ['payload', 'a built-in sample name (see "samples") or the path to a JSON file'] as const;

/** `--url <url>`: where the webhook goes. Parsed into a `URL`; only http and https. */
export const URL_OPTION = option(
  '--url <url>',
  `webhook URL (default: $${JAMBONZ_ENV.url}, else ${DEFAULT_BASE_URL} and the sample's route in the sample app, ${DEFAULT_ROUTE} for a file)`,
  (value) => parseUrl(value),
);

/** `--secret <secret>`: the webhook secret to sign with; `''` signs nothing. */
export const SECRET_OPTION = option(
  '--secret <secret>',
  `webhook secret to sign with (default: $${JAMBONZ_ENV.secret}, first of a comma-separated list, else the public test secret that the sample app falls back to)`,
);

/** `--user <username>`: the Basic username. */
export const USER_OPTION = option('--user <username>', `Basic auth username (default: $${JAMBONZ_ENV.username})`);

/** `--pass <password>`: the Basic password. */
export const PASS_OPTION = option('--pass <password>', `Basic auth password (default: $${JAMBONZ_ENV.password})`);

/**
 * The webhook URL: `--url`, else `$JAMBONZ_WEBHOOK_URL`, else `route` on {@link DEFAULT_BASE_URL}
 * (the sample app, `npm start`).
 *
 * @param route the path the payload goes to by default: a sample's route in the sample app.
 * @throws UsageError when the environment variable is not an http(s) URL.
 */
export function resolveUrl(option: URL | undefined, route: string, io: CliIo): URL {
  if (option) return option;
  const fromEnv = io.env[JAMBONZ_ENV.url];
  if (!fromEnv) return new URL(route, DEFAULT_BASE_URL);
  try {
    return parseUrl(fromEnv);
  } catch (error) {
    throw new UsageError(`$${JAMBONZ_ENV.url}: ${(error as Error).message}`);
  }
}

/**
 * The secret to sign with: `--secret` as given (`''` means none: an unsigned request); else the
 * first non-empty item of `$JAMBONZ_WEBHOOK_SECRET`, which the sample app reads as a
 * comma-separated rotation list and whose first item is the current secret; else
 * `TEST_WEBHOOK_SECRET`, which the sample app accepts when it has no configuration.
 *
 * @throws UsageError when `$JAMBONZ_WEBHOOK_SECRET` is set but holds only commas and spaces: the
 *   sample app refuses to start on such a value, so signing with the test secret would only hide
 *   the mistake.
 */
export function resolveSecret(option: string | undefined, io: CliIo): string | undefined {
  if (option !== undefined) return option === '' ? undefined : option;
  const secrets = secretsOfEnv(io.env[JAMBONZ_ENV.secret]);
  const first = secrets?.[0];
  if (secrets !== undefined && first === undefined) {
    throw new UsageError(`$${JAMBONZ_ENV.secret} is set but holds no secret: give one, or several separated by commas.`);
  }
  return first ?? TEST_WEBHOOK_SECRET;
}

/**
 * Basic credentials: `--user` and `--pass`, else the environment's, else `TEST_CREDENTIALS` (what
 * the sample app takes when none are configured). For a call status hook (`path` ends with
 * `/call-status`), `$JAMBONZ_STATUS_HOOK_USERNAME`/`_PASSWORD` come first when set, since jambonz
 * sends the status hook's own credentials. Like jambonz (`basicAuth()` in
 * `lib/utils/http-requestor.js`), credentials are sent only when both are non-empty; with only
 * one, nothing is sent and a note goes to stderr.
 */
export function resolveCredentials(
  user: string | undefined,
  pass: string | undefined,
  io: CliIo,
  path?: string,
): BasicCredentials | undefined {
  const status = path?.endsWith('/call-status') && io.env[JAMBONZ_ENV.statusUsername] && io.env[JAMBONZ_ENV.statusPassword];
  const [userVariable, passVariable] = status
    ? [JAMBONZ_ENV.statusUsername, JAMBONZ_ENV.statusPassword]
    : [JAMBONZ_ENV.username, JAMBONZ_ENV.password];
  const username = user ?? io.env[userVariable] ?? '';
  const password = pass ?? io.env[passVariable] ?? '';
  if (username !== '' && password !== '') return { username, password };
  if (username !== '' || password !== '') {
    const missing = username === '' ? 'username' : 'password';
    io.stderr(`note: no Basic ${missing}, so no Authorization header is sent (jambonz sends one only when both are set)\n`);
    return undefined;
  }
  return user === undefined && pass === undefined ? TEST_CREDENTIALS : undefined;
}

/** The URL schemes a command takes, and an example URL for messages. */
export interface UrlKind {
  /** `['http:', 'https:']`, or `['ws:', 'wss:']`. */
  readonly schemes: readonly string[];
  /** The schemes in a sentence, with their article: `an http or https`. */
  readonly what: string;
  /** A URL that works with the sample app. */
  readonly example: string;
}

/** Webhook URLs: http and https. */
export const WEBHOOK_URL: UrlKind = {
  schemes: ['http:', 'https:'],
  what: 'an http or https',
  example: new URL(DEFAULT_ROUTE, DEFAULT_BASE_URL).href,
};

/**
 * An absolute URL of one of `kind`'s schemes (http or https by default) without credentials in
 * it (use `--user`/`--pass`).
 * @throws UsageError saying which of these it is not.
 */
export function parseUrl(value: string, kind: UrlKind = WEBHOOK_URL): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`"${value}" is not an absolute URL (e.g. ${kind.example}).`);
  }
  if (!kind.schemes.includes(url.protocol)) {
    throw new UsageError(`"${value}" is not ${kind.what} URL.`);
  }
  if (url.username !== '' || url.password !== '') {
    // fetch refuses such URLs, and the password would be echoed in every message naming the URL.
    throw new UsageError('the URL holds credentials: give them with --user and --pass instead.');
  }
  return url;
}

/**
 * A whole number, possibly negative (`--timestamp-offset -400`).
 * @throws UsageError when `value` is not one, or beyond ±2^53.
 */
export function parseInteger(value: string): number {
  if (!/^[+-]?\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(`"${value}" is not a whole number.`);
  }
  return Number(value);
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * A repeatable `--header 'Name: value'`: splits at the first colon and trims the value, as
 * curl's `-H` does, and collects the pairs in order.
 * @throws UsageError when there is no colon, the name is not an HTTP token, or the value holds a
 *   NUL or a line break (which would smuggle in another header).
 */
export function parseHeader(
  value: string,
  previous: ReadonlyArray<readonly [string, string]> = [],
): Array<readonly [string, string]> {
  const colon = value.indexOf(':');
  const name = value.slice(0, Math.max(colon, 0)).trim();
  if (colon < 0 || !HEADER_NAME.test(name)) {
    throw new UsageError(`"${value}" is not a header: use "Name: value".`);
  }
  if (/[\0\r\n]/.test(value)) {
    throw new UsageError(`the value of header "${name}" holds a NUL or a line break, which HTTP forbids.`);
  }
  return [...previous, [name, value.slice(colon + 1).trim()]];
}
