import { InvalidArgumentError, Option } from 'commander';
import type { BasicCredentials } from '../core/index.js';
import { DEFAULT_WEBHOOK_URL, ENV, SAMPLE_DEV_SECRET } from './defaults.js';
import { UsageError } from './exit-code.js';
import type { CliIo } from './io.js';

/*
 * Options shared by several commands, and how their defaults come from the environment. Defaults
 * are resolved here rather than declared to commander, so that `--help` never prints the value of
 * a secret taken from the environment.
 */

/** `--url <url>`: where the webhook goes. Parsed into a `URL`; only http and https. */
export function urlOption(): Option {
  return new Option('--url <url>', `webhook URL (default: $${ENV.url}, else ${DEFAULT_WEBHOOK_URL})`).argParser(parseUrl);
}

/** `--secret <secret>`: the webhook secret to sign with; `''` signs nothing. */
export function secretOption(): Option {
  return new Option(
    '--secret <secret>',
    `webhook secret to sign with (default: $${ENV.secret}, first of a comma-separated list, else the sample app's development secret)`,
  );
}

/** `--user <username>`: the Basic username. */
export function userOption(): Option {
  return new Option('--user <username>', `Basic auth username (default: $${ENV.username})`);
}

/** `--pass <password>`: the Basic password. */
export function passOption(): Option {
  return new Option('--pass <password>', `Basic auth password (default: $${ENV.password})`);
}

/**
 * The webhook URL: `--url`, else `$JAMBONZ_WEBHOOK_URL`, else {@link DEFAULT_WEBHOOK_URL}.
 * @throws UsageError when the environment variable is not an http(s) URL.
 */
export function resolveUrl(option: URL | undefined, io: CliIo): URL {
  if (option) return option;
  const fromEnv = io.env[ENV.url];
  if (!fromEnv) return new URL(DEFAULT_WEBHOOK_URL);
  try {
    return parseUrl(fromEnv);
  } catch (error) {
    throw new UsageError(`$${ENV.url}: ${(error as Error).message}`);
  }
}

/**
 * The secret to sign with: `--secret` as given (`''` means none: an unsigned request); else the
 * first non-empty item of `$JAMBONZ_WEBHOOK_SECRET`, which the sample app reads as a
 * comma-separated rotation list and whose first item is the current secret; else
 * {@link SAMPLE_DEV_SECRET}, which the sample app accepts when it has no configuration.
 */
export function resolveSecret(option: string | undefined, io: CliIo): string | undefined {
  if (option !== undefined) return option === '' ? undefined : option;
  const fromEnv = (io.env[ENV.secret] ?? '')
    .split(',')
    .map((item) => item.trim())
    .find((item) => item !== '');
  return fromEnv ?? SAMPLE_DEV_SECRET;
}

/**
 * Basic credentials: each of `--user` and `--pass` falls back to its environment variable. Like
 * jambonz (`basicAuth()` in `lib/utils/http-requestor.js`), credentials are sent only when both
 * are non-empty; with only one, nothing is sent and a note goes to stderr.
 */
export function resolveCredentials(user: string | undefined, pass: string | undefined, io: CliIo): BasicCredentials | undefined {
  const username = user ?? io.env[ENV.username] ?? '';
  const password = pass ?? io.env[ENV.password] ?? '';
  if (username !== '' && password !== '') return { username, password };
  if (username !== '' || password !== '') {
    const missing = username === '' ? 'username' : 'password';
    io.stderr(`note: no Basic ${missing}, so no Authorization header is sent (jambonz sends one only when both are set)\n`);
  }
  return undefined;
}

/** Commander parser: an absolute http or https URL without credentials in it (use `--user`/`--pass`). */
export function parseUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError(`"${value}" is not an absolute URL (e.g. ${DEFAULT_WEBHOOK_URL}).`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidArgumentError(`"${value}" is not an http or https URL.`);
  }
  if (url.username !== '' || url.password !== '') {
    // fetch refuses such URLs, and the password would be echoed in every message naming the URL.
    throw new InvalidArgumentError('the URL holds credentials: give them with --user and --pass instead.');
  }
  return url;
}

/** Commander parser: a whole number, possibly negative (`--timestamp-offset -400`). */
export function parseInteger(value: string): number {
  if (!/^[+-]?\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new InvalidArgumentError(`"${value}" is not a whole number.`);
  }
  return Number(value);
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Commander parser for a repeatable `--header 'Name: value'`: splits at the first colon and trims
 * the value, as curl's `-H` does, and collects the pairs in order.
 */
export function parseHeader(value: string, previous: Array<[string, string]> = []): Array<[string, string]> {
  const colon = value.indexOf(':');
  const name = value.slice(0, Math.max(colon, 0)).trim();
  if (colon < 0 || !HEADER_NAME.test(name)) {
    throw new InvalidArgumentError(`"${value}" is not a header: use "Name: value".`);
  }
  if (/[\0\r\n]/.test(value)) {
    throw new InvalidArgumentError(`the value of header "${name}" holds a NUL or a line break, which HTTP forbids.`);
  }
  return [...previous, [name, value.slice(colon + 1).trim()]];
}
