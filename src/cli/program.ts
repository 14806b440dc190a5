import { Command, CommanderError } from 'commander';
import { ExitCode, UsageError, type ExitCodeValue } from './exit-code.js';
import type { CliIo } from './io.js';
import { SAMPLES } from './samples.js';
import { defineSendCommand } from './send.js';
import { defineSignCommand } from './sign.js';

/** What {@link createProgram} needs besides its {@link CliIo}. */
export interface ProgramOptions {
  /** Printed by `--version`: the package's version, read by the caller from package.json. */
  readonly version: string;
}

/** The `jambonz-webhook` program, ready to run once. */
export interface CliProgram {
  /** The commander program, for inspection (tests, generated docs). */
  readonly command: Command;
  /**
   * Parses `args` (the arguments after the program name) and runs the command.
   *
   * @returns the exit code (see `ExitCode`): the command's own, 0 after `--help` or
   *   `--version`, 2 for any usage error (commander's or the command's, printed on stderr).
   */
  run(args: readonly string[]): Promise<ExitCodeValue>;
}

/**
 * Builds `jambonz-webhook`: `send`, `sign` and `samples`, writing only through `io`, so that a
 * test can run it in-process against a local server. Commander never calls `process.exit`.
 */
export function createProgram(io: CliIo, options: ProgramOptions): CliProgram {
  let exitCode: ExitCodeValue = ExitCode.ok;
  const exit = (code: ExitCodeValue) => {
    exitCode = code;
  };
  // Subcommands created with .command() inherit output, exitOverride and showHelpAfterError.
  const program = new Command('jambonz-webhook')
    .description('Send webhooks to an app exactly as jambonz does: signed compact JSON, Basic auth, the same headers.')
    .version(options.version)
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride()
    .showHelpAfterError('(add --help for usage)');

  defineSendCommand(program.command('send'), io, exit);
  defineSignCommand(program.command('sign'), io, exit);
  program
    .command('samples')
    .description('list the built-in sample payloads')
    .action(() => {
      const width = Math.max(...SAMPLES.map((sample) => sample.name.length));
      io.stdout(SAMPLES.map((s) => `${s.name.padEnd(width)}  ${s.description} (sample app: ${s.route})\n`).join(''));
    });

  return {
    command: program,
    async run(args) {
      try {
        await program.parseAsync([...args], { from: 'user' });
        return exitCode;
      } catch (error) {
        if (error instanceof CommanderError) {
          // Commander has already printed its message; it exits 0 only for --help and --version.
          return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
        }
        if (error instanceof UsageError) {
          io.stderr(`error: ${error.message}\n`);
          return ExitCode.usage;
        }
        throw error;
      }
    },
  };
}
