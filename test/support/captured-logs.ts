import type { LoggerService } from '@nestjs/common';

/** Every log line of every logger of this test file, for the secrecy scan (test/support/secrecy.ts). */
export const allLogLines: string[] = [];

/** One logged line: its level, its message and, when Nest's `Logger` passed one, its context. */
export interface LogEntry {
  readonly level: 'log' | 'error' | 'warn' | 'debug' | 'verbose' | 'fatal';
  readonly message: string;
  readonly context?: string;
}

/**
 * A LoggerService that keeps every line twice: as flat text in `lines` (level, message and every
 * extra argument, for `toContain` checks over an app's output) and as a {@link LogEntry} in
 * `entries` (for exact assertions in unit specs). Each line also goes to {@link allLogLines}.
 */
export class CapturedLogs implements LoggerService {
  readonly lines: string[] = [];
  readonly entries: LogEntry[] = [];
  log(message: unknown, ...rest: unknown[]): void {
    this.add('log', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.add('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.add('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.add('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.add('verbose', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.add('fatal', message, rest);
  }
  private add(level: LogEntry['level'], message: unknown, rest: unknown[]): void {
    // Nest's Logger passes its context last (after an `undefined` stack for `error`).
    const context = rest.at(-1);
    this.entries.push(
      typeof context === 'string' ? { level, message: String(message), context } : { level, message: String(message) },
    );
    const line = `${level} ${[message, ...rest].map((part) => (part instanceof Error ? part.stack : String(part))).join(' ')}`;
    this.lines.push(line);
    allLogLines.push(line);
  }
}
