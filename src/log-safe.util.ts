/** Most characters of one value taken from a request that go into a log line. */
export const MAX_LOGGED_CHARACTERS = 200;

// C0 and C1 controls (CR, LF, ESC for ANSI sequences...), DEL, the Unicode line and paragraph
// separators, and the bidirectional controls that can make a line read differently than it is.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Neutralises a value taken from a request (a path, a method, an `account_sid`, an error
 * message built from them) before it goes into a log line: every control or line-breaking
 * character becomes a visible `\uXXXX` escape, so a sender can neither forge log lines (CR/LF)
 * nor drive a terminal (ANSI escapes), and the value is cut to {@link MAX_LOGGED_CHARACTERS}.
 */
export function logSafe(text: string): string {
  const cut = text.length > MAX_LOGGED_CHARACTERS ? `${text.slice(0, MAX_LOGGED_CHARACTERS)}...` : text;
  return cut.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * An error (or anything thrown) as one neutralised phrase for a log line: its message (with its
 * name first when it is not a plain `Error`), the text itself for a string, the object's tag
 * otherwise. Application code (a secret
 * resolver, a replay store, a listener) often builds messages from request data: they go through
 * {@link logSafe}.
 */
export function describeError(error: unknown): string {
  if (error instanceof Error) return logSafe(error.name === 'Error' ? error.message : `${error.name}: ${error.message}`);
  return logSafe(typeof error === 'string' ? error : Object.prototype.toString.call(error));
}
