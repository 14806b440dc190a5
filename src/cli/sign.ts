import { generateSignatureHeader } from '../core/index.js';
import { isSignableTimestamp } from '../core/signature-header.js';
import { buildJambonzRequest, type JambonzRequest } from '../testing/jambonz-request.js';
import { flag, option, type CliCommand, type CliOptionValues } from './command-line.js';
import { ExitCode, UsageError, type ExitCodeValue } from './exit-code.js';
import type { CliIo } from './io.js';
import {
  PASS_OPTION,
  PAYLOAD_OPERAND,
  resolveCredentials,
  resolveSecret,
  resolveUrl,
  SECRET_OPTION,
  URL_OPTION,
  USER_OPTION,
} from './options.js';
import { resolvePayload } from './payload.js';

/** The options of `sign`, by the name {@link runSignCommand} reads them under. */
const SIGN_OPTIONS = {
  secret: SECRET_OPTION,
  timestamp: option('--timestamp <seconds>', 't to sign with, Unix seconds (default: now)', parseTimestamp),
  body: flag('--body', 'print the exact body that is signed (no trailing newline), instead of the header'),
  curl: flag('--curl', 'print a complete curl command (POST, headers, body quoted for sh) instead of the header'),
  url: URL_OPTION,
  user: USER_OPTION,
  pass: PASS_OPTION,
};

/** The options of `sign`, as parsed; each absent when not given. */
export type SignOptions = CliOptionValues<typeof SIGN_OPTIONS>;

/**
 * `sign <payload>`: prints the `Jambonz-Signature` header value (default), the exact body
 * (`--body`, without a trailing newline), or a ready-to-run curl command (`--curl`). The body
 * does not depend on the time, so the header and the body can come from two separate invocations.
 */
export const SIGN_COMMAND: CliCommand<typeof SIGN_OPTIONS> = {
  name: 'sign',
  summary: 'Print the Jambonz-Signature header for a payload, its exact body, or a complete curl command.',
  operands: [PAYLOAD_OPERAND],
  options: SIGN_OPTIONS,
  footer: `--url, --user and --pass matter only with --curl.

Examples:
  jambonz-webhook sign call-hook-inbound --curl | sh
  curl -H "Jambonz-Signature: $(jambonz-webhook sign ./call.json)" -H 'Content-Type: application/json' \\
       --data-binary "$(jambonz-webhook sign ./call.json --body)" http://127.0.0.1:3000/call`,
  run: ([payload], options, io) => runSignCommand(payload!, options, io),
};

/**
 * Prints the header, the body or the curl command for `<payload>`.
 *
 * @returns {@link ExitCode.ok}.
 * @throws UsageError for an unknown payload, `--body` with `--curl`, or an empty secret.
 */
export function runSignCommand(payload: string, options: SignOptions, io: CliIo): ExitCodeValue {
  if (options.body && options.curl) {
    throw new UsageError("option '--body' cannot be used with option '--curl'");
  }
  const { body, route } = resolvePayload(payload, io.cwd);
  if (options.body) {
    // No trailing newline: `--body > file` must hold exactly the signed bytes.
    io.stdout(body);
    return ExitCode.ok;
  }
  const secret = resolveSecret(options.secret, io);
  if (secret === undefined) {
    throw new UsageError('sign needs a secret: --secret must not be empty.');
  }
  const timestamp = options.timestamp ?? Math.floor(io.now());
  if (!options.curl) {
    io.stdout(`${generateSignatureHeader(body, secret, { timestamp })}\n`);
    return ExitCode.ok;
  }
  const basicAuth = resolveCredentials(options.user, options.pass, io);
  const request = buildJambonzRequest(body, { secret, timestamp, ...(basicAuth && { basicAuth }) });
  io.stdout(`${curlCommand(resolveUrl(options.url, route, io), request)}\n`);
  return ExitCode.ok;
}

/** `t`: whole Unix seconds in the range `Jambonz-Signature` allows. */
function parseTimestamp(value: string): number {
  if (!/^\d+$/.test(value) || !isSignableTimestamp(Number(value))) {
    throw new UsageError(`"${value}": use whole Unix seconds, e.g. 1715000000.`);
  }
  return Number(value);
}

/** A curl command line for sh/bash/zsh; `-i` shows the status line, `--data-binary` keeps the bytes. */
function curlCommand(url: URL, request: JambonzRequest): string {
  const args = [
    ['curl', '-sS', '-i', '-X', request.method, shellQuote(url.href)],
    ...request.headers.map(([name, value]) => ['-H', shellQuote(`${name}: ${value}`)]),
    ...(request.body === undefined ? [] : [['--data-binary', shellQuote(request.body)]]),
  ];
  return args.map((parts) => parts.join(' ')).join(' \\\n  ');
}

/** Single-quotes a word for a POSIX shell: nothing inside is special but `'`, written `'\''`. */
function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}
