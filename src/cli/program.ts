import { commandHelp, didYouMean, helpSection, paragraph, parseCommandLine, type CliCommand } from './command-line.js';
import { ExitCode, UsageError, type ExitCodeValue } from './exit-code.js';
import type { CliIo } from './io.js';
import { SAMPLES_COMMAND } from './samples.js';
import { SEND_COMMAND } from './send.js';
import { SESSION_COMMAND } from './session.js';
import { SIGN_COMMAND } from './sign.js';

/** What {@link createProgram} needs besides its {@link CliIo}. */
export interface ProgramOptions {
  /** Printed by `--version`: the package's version, read by the caller from package.json. */
  readonly version: string;
}

/** The `jambonz-webhook` program, ready to run. */
export interface CliProgram {
  /**
   * Parses `args` (the arguments after the program name) and runs the command.
   *
   * @returns the exit code (see `ExitCode`): the command's own; 0 after `--help` or `--version`;
   *   2 for any usage error, printed on stderr as `error: <what>` and a line naming the `--help`
   *   to read, and for no command at all (the help goes to stderr).
   */
  run(args: readonly string[]): Promise<ExitCodeValue>;
}

/** The program's name, as installed by package.json's `bin`. */
const PROGRAM = 'jambonz-webhook';

/** Every command, in the order the help lists them. */
const COMMANDS: readonly CliCommand[] = [SEND_COMMAND, SESSION_COMMAND, SIGN_COMMAND, SAMPLES_COMMAND];

/**
 * Builds `jambonz-webhook`: `send`, `session`, `sign`, `samples` and `help [command]`, with `--help` and
 * `--version`. It writes only through `io` and never exits the process, so that a test can run it
 * in-process against a local server.
 */
export function createProgram(io: CliIo, options: ProgramOptions): CliProgram {
  return {
    async run(args) {
      // The command whose --help a usage error points to, once known.
      let command: CliCommand | undefined;
      try {
        const [first, ...rest] = args;
        switch (first) {
          case undefined:
            io.stderr(programHelp());
            return ExitCode.usage;
          case '-h':
          case '--help':
            io.stdout(programHelp());
            return ExitCode.ok;
          case '-V':
          case '--version':
            io.stdout(`${options.version}\n`);
            return ExitCode.ok;
          case 'help': {
            if (rest.length > 1) throw new UsageError(`too many arguments: help takes at most one command name`);
            const [name] = rest;
            const forProgram = name === undefined || name === '-h' || name === '--help';
            io.stdout(forProgram ? programHelp() : commandHelp(PROGRAM, findCommand(name)));
            return ExitCode.ok;
          }
        }
        command = findCommand(first);
        const parsed = parseCommandLine(
          rest,
          command.options,
          command.operands.map(([name]) => name),
        );
        if (parsed.help) {
          io.stdout(commandHelp(PROGRAM, command));
          return ExitCode.ok;
        }
        return await command.run(parsed.operands, parsed.values, io);
      } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        io.stderr(`error: ${error.message}\nRun '${PROGRAM}${command ? ` ${command.name}` : ''} --help' for usage.\n`);
        return ExitCode.usage;
      }
    },
  };
}

/**
 * The command called `name`.
 * @throws UsageError for an option or a name that is no command, suggesting a near one.
 */
function findCommand(name: string): CliCommand {
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (command) return command;
  if (name.startsWith('-')) {
    throw new UsageError(`unknown option '${name}'${didYouMean(name, ['--version', '--help'])}`);
  }
  throw new UsageError(
    `unknown command '${name}'${didYouMean(
      name,
      COMMANDS.map((candidate) => candidate.name),
    )}`,
  );
}

function programHelp(): string {
  return [
    `Usage: ${PROGRAM} <command> [options]\n\n` +
      paragraph(
        'Send webhooks to an app exactly as jambonz does: signed compact JSON, Basic auth, the same headers; ' +
          "or open a session on its WebSocket API as jambonz's client does.",
      ),
    helpSection('Commands', [
      ...COMMANDS.map(
        (command) => [[command.name, ...command.operands.map(([name]) => `<${name}>`)].join(' '), command.summary] as const,
      ),
      ['help [command]', 'Show the help of the program, or of a command.'],
    ]),
    helpSection('Options', [
      ['-V, --version', 'print the version'],
      ['-h, --help', 'show this help'],
    ]),
    `Run '${PROGRAM} <command> --help' for the options of a command.\n`,
  ].join('\n');
}
