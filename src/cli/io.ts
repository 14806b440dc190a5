import { nowInSeconds } from '../core/index.js';
/**
 * Everything the CLI touches outside itself, so that tests run the whole program in-process:
 * output, HTTP, environment, working directory and clock.
 */
export interface CliIo {
  /** Writes to standard output; the text carries its own line breaks. */
  readonly stdout: (text: string) => void;
  /** Writes to standard error; the text carries its own line breaks. */
  readonly stderr: (text: string) => void;
  /** The WHATWG `fetch` used to send webhooks (Node's global one in production). */
  readonly fetch: typeof fetch;
  /** Environment variables, for the defaults of `--url`, `--secret`, `--user` and `--pass`. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Directory that relative payload paths, and the fixtures directory, are resolved against. */
  readonly cwd: string;
  /** The current Unix time in seconds, fractions allowed. */
  readonly now: () => number;
}

/** The real process's {@link CliIo}: its streams, global `fetch`, `process.env`, cwd and clock. */
export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    fetch: globalThis.fetch,
    env: process.env,
    cwd: process.cwd(),
    now: nowInSeconds,
  };
}
