/** Most characters of one value taken from a request that go into a log line. */
export const MAX_LOGGED_CHARACTERS = 200;

// C0 and C1 controls (CR, LF, ESC for ANSI sequences...), DEL, the Unicode line and paragraph
// separators, the bidirectional controls that can make a line read differently than it is (U+061C,
// U+200E/F, U+202A-E, U+2066-9), the zero-width and invisible characters (U+200B-D, U+2060-4,
// U+FEFF), and lone surrogates, which are not text at all.
const UNSAFE =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Neutralises a value taken from a request (a path, a method, an `account_sid`, an error
 * message built from them) before it goes into a log line: every control, line-breaking,
 * bidirectional or invisible character becomes a visible `\uXXXX` escape, so a sender can
 * neither forge log lines (CR/LF) nor drive a terminal (ANSI escapes) nor hide text, and the
 * value is cut to {@link MAX_LOGGED_CHARACTERS}. Never throws: a value that is not a string is
 * described first (a number as itself, an object by its tag, never by its own `toString`).
 */
export function logSafe(text: unknown): string {
  const value = textOf(text);
  return neutralise(value.length > MAX_LOGGED_CHARACTERS ? `${value.slice(0, MAX_LOGGED_CHARACTERS)}...` : value);
}

/**
 * {@link logSafe} without the cut: every control, line-breaking, bidirectional or invisible
 * character of `text` as a visible `\\uXXXX` escape. For text whose length the app controls (a
 * stack frame's location), where a cut would lose the end that matters.
 */
export function neutralise(text: string): string {
  return text.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * An error (or anything thrown) as one neutralised phrase for a log line: its message (with its
 * name first when it is not a plain `Error`), the text itself for a string, the object's tag
 * otherwise. Application code (a secret resolver, a replay store, a listener) often builds
 * messages from request data: they go through {@link logSafe}. Never throws, whatever was thrown
 * (a message that is an object without a prototype, a getter that throws, a Proxy, a symbol).
 */
export function describeError(error: unknown): string {
  try {
    if (error instanceof Error) {
      const message = textOf(error.message);
      const name = textOf(error.name);
      return logSafe(name === 'Error' ? message : `${name}: ${message}`);
    }
    return logSafe(textOf(error));
  } catch {
    return 'an error that cannot be described';
  }
}

/** Any value as text, without ever throwing. */
function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    // An object's own toString could throw or lie; its tag cannot. String() describes a symbol
    // too ('Symbol(description)'), where a template literal would throw.
    return typeof value === 'object' || typeof value === 'function' ? Object.prototype.toString.call(value) : String(value);
  } catch {
    return '(unprintable)';
  }
}
