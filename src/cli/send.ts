import { InvalidArgumentError, Option, type Command } from 'commander';
import { isSignableTimestamp, MAX_SIGNATURE_TIMESTAMP } from '../core/signature-header.js';
import { ACCEPTED_STATUSES, REQUEST_TIMEOUT_MS } from './defaults.js';
import { ExitCode, UsageError, type ExitCodeValue } from './exit-code.js';
import type { CliIo } from './io.js';
import {
  parseHeader,
  parseInteger,
  passOption,
  resolveCredentials,
  resolveSecret,
  resolveUrl,
  secretOption,
  urlOption,
  userOption,
} from './options.js';
import { resolvePayload } from './payload.js';
import { buildWebhookRequest, type WebhookMethod } from './webhook-request.js';

/** The options of `send`, as commander parses them. */
export interface SendOptions {
  readonly url?: URL;
  readonly secret?: string;
  /** `false` with `--no-sign`. */
  readonly sign: boolean;
  readonly user?: string;
  readonly pass?: string;
  readonly method: WebhookMethod;
  /** Seconds added to now to get `t`. */
  readonly timestampOffset: number;
  /** `--header` values, in order. */
  readonly header?: Array<[string, string]>;
}

/**
 * Declares `send <payload>` on `command`: arguments, options, help, and the action, which reports
 * its exit code through `exit`.
 */
export function defineSendCommand(command: Command, io: CliIo, exit: (code: ExitCodeValue) => void): Command {
  return command
    .description('send a webhook to an app exactly as jambonz does: compact JSON body, Jambonz-Signature, Basic auth')
    .argument('<payload>', 'a built-in sample name (see "samples") or the path to a JSON file')
    .addOption(urlOption())
    .addOption(secretOption())
    .option('--no-sign', "send no Jambonz-Signature (same as --secret '')")
    .addOption(userOption())
    .addOption(passOption())
    .addOption(
      new Option('-X, --method <method>', 'POST or GET; GET sends no body, as jambonz').argParser(parseMethod).default('POST'),
    )
    .addOption(
      new Option('--timestamp-offset <seconds>', 'sign with t = now + seconds; -400 makes a stale request')
        .argParser(parseInteger)
        .default(0),
    )
    .option('-H, --header <header>', 'extra header "Name: value", repeatable; replaces a header above of that name', parseHeader)
    .addHelpText(
      'after',
      `
Prints "HTTP <status> <text>" and the response body (pretty-printed when JSON).
The body sent is JSON.stringify(payload), the bytes that are signed, as jambonz does.

Exit codes:
  0  the app answered 200, 202 or 204 (what jambonz counts as success)
  1  any other HTTP status (jambonz would fail the call, Nest's 201 included)
  2  usage error: unknown sample, unreadable or invalid JSON file, bad option
  3  no response: the app is not running, wrong port, timeout (${REQUEST_TIMEOUT_MS / 1000} s)

Examples:
  jambonz-webhook send call-hook-inbound
  jambonz-webhook send call-status-completed --url http://127.0.0.1:3000/call-status
  jambonz-webhook send ./my-payload.json --secret wh_secret_... --user jambonz --pass s3cret
  jambonz-webhook send call-hook-inbound --timestamp-offset -400   # stale: expect 401
  jambonz-webhook send call-hook-inbound --no-sign                 # unsigned: expect 401`,
    )
    .action(async (payload: string, options: SendOptions) => exit(await runSendCommand(payload, options, io)));
}

/**
 * Sends `<payload>` as jambonz would, prints the response, and says how it ended.
 *
 * @returns {@link ExitCode.ok} for 200, 202 or 204; {@link ExitCode.rejected} for another
 *   status; {@link ExitCode.unreachable} when no response came (the message on stderr names the
 *   URL and suggests `npm start`).
 * @throws UsageError for an unknown payload, an invalid environment URL or a `t` out of range.
 */
export async function runSendCommand(payload: string, options: SendOptions, io: CliIo): Promise<ExitCodeValue> {
  const { origin, body } = resolvePayload(payload, io.cwd);
  const url = resolveUrl(options.url, io);
  const secret = options.sign ? resolveSecret(options.secret, io) : undefined;
  const timestamp = Math.floor(io.now()) + options.timestampOffset;
  if (secret !== undefined && !isSignableTimestamp(timestamp)) {
    throw new UsageError(
      `--timestamp-offset ${options.timestampOffset} puts t at ${timestamp}, outside 0 to ${MAX_SIGNATURE_TIMESTAMP}.`,
    );
  }
  const credentials = resolveCredentials(options.user, options.pass, io);
  const request = buildWebhookRequest({
    method: options.method,
    body,
    secret,
    timestamp,
    credentials,
    extraHeaders: options.header,
  });
  const sent = [secret ? `signed t=${timestamp}` : 'unsigned', credentials ? 'Basic auth' : 'no Basic auth'];
  const size = request.body === undefined ? 'no body' : `${Buffer.byteLength(request.body)} bytes`;
  io.stderr(`${request.method} ${url.href} (${origin}, ${size}, ${sent.join(', ')})\n`);

  let response: Response;
  let text: string;
  try {
    response = await io.fetch(url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      // jambonz follows no redirect: a 3xx is a failed webhook.
      redirect: 'manual',
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    text = await response.text();
  } catch (error) {
    io.stderr(`error: ${describeFailure(error, url)}\n`);
    return ExitCode.unreachable;
  }
  io.stdout(`HTTP ${response.status} ${response.statusText}\n`);
  if (text !== '') {
    io.stdout(`${formatBody(text, response.headers.get('content-type'))}\n`);
  }
  if (ACCEPTED_STATUSES.includes(response.status)) {
    return ExitCode.ok;
  }
  io.stderr(`note: jambonz counts only ${ACCEPTED_STATUSES.join(', ')} as success: it would fail this webhook\n`);
  return ExitCode.rejected;
}

function parseMethod(value: string): WebhookMethod {
  const method = value.toUpperCase();
  if (method !== 'POST' && method !== 'GET') {
    throw new InvalidArgumentError('jambonz hooks use POST or GET.');
  }
  return method;
}

function formatBody(text: string, contentType: string | null): string {
  if (!contentType?.includes('json')) return text;
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function describeFailure(error: unknown, url: URL): string {
  if (error instanceof Error && error.name === 'TimeoutError') {
    return `no response from ${url.href} within ${REQUEST_TIMEOUT_MS / 1000} s (jambonz gives up after as long).`;
  }
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  const why = String(cause?.code ?? cause?.message ?? (error as Error)?.message ?? error);
  return `cannot reach ${url.href} (${why}). Is the app running? Start the sample app with \`npm start\`.`;
}
