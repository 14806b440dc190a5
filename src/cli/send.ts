import { isSignableTimestamp, MAX_SIGNATURE_TIMESTAMP } from '../core/signature-header.js';
import { JAMBONZ_ENV } from '../testing/jambonz-env.constants.js';
import { buildJambonzRequest, type JambonzHookMethod } from '../testing/jambonz-request.js';
import { flag, option, type CliCommand, type CliOptionValues } from './command-line.js';
import { JAMBONZ_SUCCESS_STATUSES } from '../jambonz-auth.constants.js';
import { REQUEST_TIMEOUT_MS } from './defaults.js';
import { ExitCode, UsageError, type ExitCodeValue } from './exit-code.js';
import type { CliIo } from './io.js';
import {
  PAYLOAD_OPERAND,
  parseHeader,
  parseInteger,
  PASS_OPTION,
  resolveCredentials,
  resolveSecret,
  resolveUrl,
  SECRET_OPTION,
  URL_OPTION,
  USER_OPTION,
} from './options.js';
import { resolvePayload } from './payload.js';

/** The options of `send`, by the name {@link runSendCommand} reads them under. */
const SEND_OPTIONS = {
  url: URL_OPTION,
  secret: SECRET_OPTION,
  noSign: flag('--no-sign', "no Jambonz-Signature (as with --secret '')"),
  user: USER_OPTION,
  pass: PASS_OPTION,
  noAuth: flag('--no-auth', "no Authorization header (as with --user '' --pass '')"),
  method: option('-X, --method <method>', 'POST or GET; GET sends no body, as jambonz (default: POST)', parseMethod),
  timestampOffset: option(
    '--timestamp-offset <seconds>',
    'sign with t = now + seconds; -400 makes a stale request (default: 0)',
    parseInteger,
  ),
  header: option(
    '-H, --header <header>',
    'extra header "Name: value", repeatable; replaces a header above of that name',
    parseHeader,
  ),
};

/** The options of `send`, as parsed; each absent when not given. */
export type SendOptions = CliOptionValues<typeof SEND_OPTIONS>;

/** `send <payload>`: sends a webhook the way jambonz does and says how the app answered. */
export const SEND_COMMAND: CliCommand<typeof SEND_OPTIONS> = {
  name: 'send',
  summary: 'Send a webhook to an app exactly as jambonz does: compact JSON body, Jambonz-Signature, Basic auth.',
  operands: [PAYLOAD_OPERAND],
  options: SEND_OPTIONS,
  footer: `Prints "HTTP <status> <text>" and the response body (pretty-printed when JSON).
The body is JSON.stringify(payload), the very bytes signed, as jambonz sends it;
the headers are jambonz's, in its order: Jambonz-Signature, Authorization,
user-agent, Content-Type (POST only).

Exit codes:
  0  the app answered 200, 202 or 204 (what jambonz counts as success)
  1  any other HTTP status (jambonz would fail the call, Nest's 201 included)
  2  usage error: unknown sample, unreadable or invalid JSON file, bad option
  3  no response: the app is not running, wrong port, timeout (${REQUEST_TIMEOUT_MS / 1000} s)

Examples:
  jambonz-webhook send call-hook-inbound
  jambonz-webhook send call-status-completed    # to /call-status, the sample's route
  jambonz-webhook send ./my-payload.json --url http://127.0.0.1:3000/call --secret wh_secret_...
  jambonz-webhook send call-hook-inbound --user jambonz --pass s3cret
  jambonz-webhook send call-hook-inbound --timestamp-offset -400   # stale: expect 401
  jambonz-webhook send call-hook-inbound --no-sign                 # unsigned: expect 401`,
  run: ([payload], options, io) => runSendCommand(payload!, options, io),
};

/**
 * Sends `<payload>` as jambonz would, prints the response, and says how it ended.
 *
 * @returns {@link ExitCode.ok} for 200, 202 or 204; {@link ExitCode.rejected} for another
 *   status (with a note or a hint on stderr where one helps: see {@link explainStatus});
 *   {@link ExitCode.unreachable} when no response came (the message on stderr names the URL and
 *   suggests `npm start`).
 * @throws UsageError for an unknown payload, an invalid environment URL or secret, or a `t` out
 *   of range.
 */
export async function runSendCommand(payload: string, options: SendOptions, io: CliIo): Promise<ExitCodeValue> {
  const { origin, body, route } = resolvePayload(payload, io.cwd);
  const url = resolveUrl(options.url, route, io);
  const secret = options.noSign ? undefined : resolveSecret(options.secret, io);
  const offset = options.timestampOffset ?? 0;
  const timestamp = Math.floor(io.now()) + offset;
  if (secret !== undefined && !isSignableTimestamp(timestamp)) {
    throw new UsageError(`--timestamp-offset ${offset} puts t at ${timestamp}, outside 0 to ${MAX_SIGNATURE_TIMESTAMP}.`);
  }
  const basicAuth = options.noAuth ? undefined : resolveCredentials(options.user, options.pass, io, url.pathname);
  const request = buildJambonzRequest(body, {
    method: options.method ?? 'POST',
    secret,
    timestamp,
    ...(basicAuth && { basicAuth }),
  });
  const headers = withExtraHeaders(request.headers, options.header ?? []);
  const sent = [secret ? `signed t=${timestamp}` : 'unsigned', basicAuth ? 'Basic auth' : 'no Basic auth'];
  const size = request.body === undefined ? 'no body' : `${Buffer.byteLength(request.body)} bytes`;
  io.stderr(`${request.method} ${url.href} (${origin}, ${size}, ${sent.join(', ')})\n`);

  let response: Response;
  let text: string;
  try {
    response = await io.fetch(url, {
      method: request.method,
      headers: headers.map(([name, value]) => [name, value]),
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
  if (JAMBONZ_SUCCESS_STATUSES.includes(response.status)) {
    return ExitCode.ok;
  }
  // A request meant to be refused (unsigned, without credentials, shifted in time) needs no hint.
  const deliberate = options.noSign === true || options.noAuth === true || offset !== 0;
  const explanation = deliberate && response.status === 401 ? undefined : explainStatus(response.status, url.pathname);
  if (explanation) io.stderr(`${explanation}\n`);
  return ExitCode.rejected;
}

/**
 * What to tell the user about a status jambonz would count as a failure, where something useful
 * can be said; `undefined` otherwise (a 404 or a 500 speaks for itself, and a request meant to be
 * refused needs no lecture):
 * - another 2xx (Nest's 201 for a POST) or a 3xx: jambonz counts only 200, 202 and 204 as
 *   success and follows no redirect, which the status line alone does not say;
 * - 401: which settings to compare with the app's (for a path ending in `/call-status`, the call
 *   status hook's own credentials too, as the sample app configures them);
 * - 409: what replay protection refused;
 * - 413: where the app's body limit is set.
 *
 * @param status the HTTP status the app answered.
 * @param path the path the request went to.
 */
export function explainStatus(status: number, path = ''): string | undefined {
  if (status >= 200 && status < 400) {
    const why =
      status === 201
        ? ' (Nest answers 201 to a POST by default; @JambonzWebhook() makes it 200)'
        : status >= 300
          ? ' (jambonz follows no redirect)'
          : '';
    return `note: jambonz counts only ${JAMBONZ_SUCCESS_STATUSES.join(', ')} as success: it would fail this webhook${why}.`;
  }
  switch (status) {
    case 401:
      return (
        `hint: the app refused the authentication (its log says why). Check --secret or $${JAMBONZ_ENV.secret} against ` +
        `the app's webhook secret, and --user/--pass or $${JAMBONZ_ENV.username}/$${JAMBONZ_ENV.password} against its ` +
        'Basic credentials (the same variables configure the sample app).' +
        (path.endsWith('/call-status')
          ? ` A call status hook with credentials of its own takes $${JAMBONZ_ENV.statusUsername}/$${JAMBONZ_ENV.statusPassword}.`
          : '')
      );
    case 409:
      return (
        'note: replay protection refused a duplicate: the app has already accepted (or is still handling) a request ' +
        'with this signature. A signature is the same for the same body and second; send again a second later, or ' +
        'with another --timestamp-offset.'
      );
    case 413:
      return (
        "hint: the body is larger than the app accepts. jambonz's bodies can be large (a whole SIP INVITE, speech " +
        "events): raise the app's limit, on Express with app.useBodyParser('json', { limit: '2mb' }), on Fastify " +
        "with new FastifyAdapter({ bodyLimit: 2 * 1024 * 1024 }), or the module's maxBodyBytes when the app's body " +
        'parser is off.'
      );
    default:
      return undefined;
  }
}

/** `headers`, then `extra` in order; an extra header replaces one above of the same name (any case), as curl's `-H` does. */
function withExtraHeaders(
  headers: ReadonlyArray<readonly [string, string]>,
  extra: ReadonlyArray<readonly [string, string]>,
): Array<readonly [string, string]> {
  const names = new Set(extra.map(([name]) => name.toLowerCase()));
  return [...headers.filter(([name]) => !names.has(name.toLowerCase())), ...extra];
}

function parseMethod(value: string): JambonzHookMethod {
  const method = value.toUpperCase();
  if (method !== 'POST' && method !== 'GET') {
    throw new UsageError(`"${value}": jambonz hooks use POST or GET.`);
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
