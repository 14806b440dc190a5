import { InvalidArgumentError, Option, type Command } from 'commander';
import { generateSignatureHeader } from '../core/index.js';
import { isSignableTimestamp } from '../core/signature-header.js';
import { ExitCode, UsageError, type ExitCodeValue } from './exit-code.js';
import type { CliIo } from './io.js';
import { passOption, resolveCredentials, resolveSecret, resolveUrl, secretOption, urlOption, userOption } from './options.js';
import { resolvePayload } from './payload.js';
import { buildWebhookRequest, type WebhookRequest } from './webhook-request.js';

/** The options of `sign`, as commander parses them. */
export interface SignOptions {
  readonly secret?: string;
  /** `t`, whole Unix seconds; default now. */
  readonly timestamp?: number;
  /** Print the exact body instead of the header. */
  readonly body?: boolean;
  /** Print a complete curl command instead of the header. */
  readonly curl?: boolean;
  readonly url?: URL;
  readonly user?: string;
  readonly pass?: string;
}

/**
 * Declares `sign <payload>` on `command`: prints the `Jambonz-Signature` header value (default),
 * the exact body (`--body`, without a trailing newline), or a ready-to-run curl command (`--curl`). The body does not depend
 * on the time, so the header and the body can come from two separate invocations.
 */
export function defineSignCommand(command: Command, io: CliIo, exit: (code: ExitCodeValue) => void): Command {
  return command
    .description('print the Jambonz-Signature header for a payload, its exact body, or a complete curl command')
    .argument('<payload>', 'a built-in sample name (see "samples") or the path to a JSON file')
    .addOption(secretOption())
    .addOption(new Option('--timestamp <seconds>', 't to sign with, Unix seconds (default: now)').argParser(parseTimestamp))
    .addOption(
      new Option('--body', 'print the exact body that is signed (no trailing newline), instead of the header').conflicts('curl'),
    )
    .option('--curl', 'print a complete curl command (POST, headers, body quoted for sh) instead of the header')
    .addOption(urlOption())
    .addOption(userOption())
    .addOption(passOption())
    .addHelpText(
      'after',
      `
--url, --user and --pass matter only with --curl.

Examples:
  jambonz-webhook sign call-hook-inbound --curl | sh
  curl -H "Jambonz-Signature: $(jambonz-webhook sign ./call.json)" -H 'Content-Type: application/json' \\
       --data-binary "$(jambonz-webhook sign ./call.json --body)" http://127.0.0.1:3000/call`,
    )
    .action((payload: string, options: SignOptions) => exit(runSignCommand(payload, options, io)));
}

/**
 * Prints the header, the body or the curl command for `<payload>`.
 *
 * @returns {@link ExitCode.ok}.
 * @throws UsageError for an unknown payload or an empty secret.
 */
export function runSignCommand(payload: string, options: SignOptions, io: CliIo): ExitCodeValue {
  const { body } = resolvePayload(payload, io.cwd);
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
  const credentials = resolveCredentials(options.user, options.pass, io);
  const request = buildWebhookRequest({ method: 'POST', body, secret, timestamp, credentials });
  io.stdout(`${curlCommand(resolveUrl(options.url, io), request)}\n`);
  return ExitCode.ok;
}

/** `t`: whole Unix seconds in the range `Jambonz-Signature` allows. */
function parseTimestamp(value: string): number {
  if (!/^\d+$/.test(value) || !isSignableTimestamp(Number(value))) {
    throw new InvalidArgumentError('use whole Unix seconds, e.g. 1715000000.');
  }
  return Number(value);
}

/** A curl command line for sh/bash/zsh; `-i` shows the status line, `--data-binary` keeps the bytes. */
function curlCommand(url: URL, request: WebhookRequest): string {
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
