/**
 * The exit codes of `jambonz-webhook`, so that a script can tell apart a webhook the app refused
 * from a mistake on the command line and from an app that is not running.
 */
export const ExitCode = Object.freeze({
  /** Success: the app answered 200, 202 or 204 (what jambonz counts as success), or the command did its job. */
  ok: 0,
  /** The app answered any other HTTP status (401, 404, Nest's 201, a 3xx...): jambonz would fail the call. */
  rejected: 1,
  /** The command line is wrong: unknown sample, unreadable or invalid JSON file, bad option. */
  usage: 2,
  /** No HTTP response at all: connection refused, DNS failure, TLS error or timeout. */
  unreachable: 3,
});

/** One of {@link ExitCode}'s values. */
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * A mistake on the command line found after parsing (an unknown sample, a file that is not JSON,
 * a timestamp out of range...). The program prints `error: <message>` and exits with
 * {@link ExitCode.usage}; the message is meant for the user as it is.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
