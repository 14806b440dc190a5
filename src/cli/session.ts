import { JAMBONZ_ENV } from '../testing/jambonz-env.constants.js';
import { JAMBONZ_SESSION_NEW_SAMPLE } from '../testing/jambonz-samples.js';
import {
  connectLikeJambonz,
  JambonzUpgradeRefusedError,
  JambonzWsClientError,
  type JambonzWsTestClient,
} from '../testing/jambonz-ws.client.js';
import { JAMBONZ_ACK_TIMEOUT_MS, JAMBONZ_HANDSHAKE_TIMEOUT_MS } from '../websocket/jambonz-ws.constants.js';
import { flag, option, type CliCommand, type CliOptionValues } from './command-line.js';
import { DEFAULT_WS_URL } from './defaults.js';
import { ExitCode, UsageError, type ExitCodeValue } from './exit-code.js';
import type { CliIo } from './io.js';
import { parseUrl, PASS_OPTION, resolveCredentials, USER_OPTION, type UrlKind } from './options.js';

/** WebSocket URLs: ws and wss. */
const WS_URL: UrlKind = { schemes: ['ws:', 'wss:'], what: 'a ws or wss', example: DEFAULT_WS_URL };

/** The options of `session`, by the name {@link runSessionCommand} reads them under. */
const SESSION_OPTIONS = {
  url: option('--url <url>', `WebSocket URL of the app (default: ${DEFAULT_WS_URL}, the sample app's)`, (value) =>
    parseUrl(value, WS_URL),
  ),
  user: USER_OPTION,
  pass: PASS_OPTION,
  noAuth: flag('--no-auth', "no Authorization header (as with --user '' --pass '')"),
};

/** The options of `session`, as parsed; each absent when not given. */
export type SessionOptions = CliOptionValues<typeof SESSION_OPTIONS>;

/** `session`: opens a WebSocket API session the way jambonz does, sends `session:new` and prints the ack. */
export const SESSION_COMMAND: CliCommand<typeof SESSION_OPTIONS> = {
  name: 'session',
  summary: 'Open a WebSocket API session as jambonz does (ws.jambonz.org, Basic auth), send session:new, print the ack.',
  operands: [],
  options: SESSION_OPTIONS,
  footer: `Connects with jambonz's own client settings (subprotocol ws.jambonz.org,
Authorization: Basic, user-agent jambonz, a ${JAMBONZ_HANDSHAKE_TIMEOUT_MS / 1000} s handshake timeout), sends the
session:new that jambonz sends for the call-hook-inbound sample, prints the
ack, and closes the socket with 1000, as jambonz does when a call ends.

Exit codes:
  0  the app acked session:new with verbs
  1  the app refused the upgrade (401, 400...), selected no subprotocol, acked
     without verbs, or sent no ack within ${JAMBONZ_ACK_TIMEOUT_MS / 1000} s: jambonz would fail the call
  2  usage error: bad option, a URL that is not ws:// or wss://
  3  no connection: the app is not running, wrong port, handshake timeout

Examples:
  jambonz-webhook session                              # the sample app, test credentials
  jambonz-webhook session --url ws://127.0.0.1:3000/ws --user jambonz --pass s3cret
  jambonz-webhook session --no-auth                    # expect 401`,
  run: (_operands, options, io) => runSessionCommand(options, io),
};

/**
 * Opens the session, sends `session:new`, prints the ack, and says how it ended.
 *
 * @returns {@link ExitCode.ok} for an ack with verbs; {@link ExitCode.rejected} for a refused
 *   upgrade (printed as `HTTP <status> <text>`, with a hint on stderr), no subprotocol selected,
 *   an ack without verbs or no ack in time; {@link ExitCode.unreachable} when no connection opens.
 * @throws UsageError for a missing `ws` package.
 */
export async function runSessionCommand(options: SessionOptions, io: CliIo): Promise<ExitCodeValue> {
  const url = options.url ?? new URL(DEFAULT_WS_URL);
  const credentials = options.noAuth ? undefined : resolveCredentials(options.user, options.pass, io);
  const call = JAMBONZ_SESSION_NEW_SAMPLE.call_sid;
  io.stderr(
    `WS ${url.href} (ws.jambonz.org, ${credentials ? 'Basic auth' : 'no Basic auth'}, session:new of sample call ${call})\n`,
  );
  let client: JambonzWsTestClient;
  try {
    client = await connectLikeJambonz(url, { credentials: credentials ?? null });
  } catch (error) {
    return explainFailure(error, url, io, options.noAuth === true);
  }
  io.stdout(`101 Switching Protocols (subprotocol ${client.protocol}, handshake ${Math.round(client.handshakeMs)} ms)\n`);
  try {
    const ack = await client.sessionNew();
    io.stdout(`${JSON.stringify(ack, null, 2)}\n`);
    if (!Array.isArray(ack.data) || ack.data.length === 0) {
      io.stderr('note: the ack carries no verbs: jambonz would fail the call ("no application provided").\n');
      return ExitCode.rejected;
    }
    return ExitCode.ok;
  } catch (error) {
    io.stderr(`error: ${(error as Error).message}: jambonz would fail the call.\n`);
    return ExitCode.rejected;
  } finally {
    await client.close();
  }
}

/** Prints why no session opened, and picks the exit code; `deliberate` (`--no-auth`) needs no hint for a 401. */
function explainFailure(error: unknown, url: URL, io: CliIo, deliberate: boolean): ExitCodeValue {
  if (error instanceof JambonzUpgradeRefusedError) {
    io.stdout(`HTTP ${error.status} ${error.statusText}\n${error.body ? `${error.body}\n` : ''}`);
    if (error.status === 400) {
      io.stderr(
        'hint: the app took the credentials but not the subprotocol ws.jambonz.org that jambonz offers for its ' +
          'WebSocket API: is this an audio endpoint (listen, stream), or a gateway of another kind?\n',
      );
    }
    if (error.status === 401 && !deliberate) {
      io.stderr(
        `hint: the app refused the credentials (its log says why). Check --user/--pass or $${JAMBONZ_ENV.username}/` +
          `$${JAMBONZ_ENV.password} against the credentials of its gateway (the same variables configure the sample app).\n`,
      );
    }
    return ExitCode.rejected;
  }
  if (error instanceof JambonzWsClientError && error.failure === 'ws_missing') {
    throw new UsageError('the session command needs the ws package (npm install --save-dev ws)');
  }
  if (error instanceof JambonzWsClientError) {
    io.stderr(`error: ${error.message}: jambonz drops such a connection (the app must select ws.jambonz.org).\n`);
    return ExitCode.rejected;
  }
  const message = (error as Error)?.message ?? String(error);
  const code = (error as { code?: unknown })?.code;
  io.stderr(
    `error: cannot open ${url.href} (${typeof code === 'string' ? code : message}). Is the app running? ` +
      'Start the sample app with `npm start`.\n',
  );
  return ExitCode.unreachable;
}
