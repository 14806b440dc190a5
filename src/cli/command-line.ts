import { parseArgs } from 'node:util';
import { UsageError, type ExitCodeValue } from './exit-code.js';
import type { CliIo } from './io.js';

/*
 * The command line of `jambonz-webhook`, on Node's own `util.parseArgs`: it splits the arguments
 * into tokens, and this file checks them against a command's options, turns values into what the
 * command needs, and writes the help. parseArgs runs in its lenient mode, so that every mistake
 * gets a message of our own (naming the option as typed, with a hint) rather than parseArgs's, and
 * so that an option that takes a value takes the next argument whatever it looks like, as getopt
 * does: `--timestamp-offset -400` works, where parseArgs's strict mode would call `-400` ambiguous.
 */

/** One option of a command, declared as it is written in the help. */
export interface CliOption<T> {
  /** As the help shows it: `--url <url>`, `-X, --method <method>`, `--no-sign`. */
  readonly flags: string;
  /** The long name without dashes: `url`, `method`, `no-sign`. */
  readonly long: string;
  /** The one-letter alias without its dash, if any: `X`. */
  readonly short?: string;
  /** `true` when the option takes a value (its flags name one, `<url>`); a flag takes none. */
  readonly takesValue: boolean;
  /** One line for the help; may say the default. */
  readonly description: string;
  /**
   * Turns a value as typed into what the command gets, given the value of an earlier occurrence
   * (so a repeatable option can collect). Throws UsageError for an unusable value.
   */
  parse(value: string, previous: T | undefined): T;
}

/** A command's options, by the name the command reads them under. */
export type CliOptions = Readonly<Record<string, CliOption<unknown>>>;

/** One command of `jambonz-webhook` (`send`, `sign`, `samples`): what it takes, its help, and what it does. */
export interface CliCommand<S extends CliOptions = CliOptions> {
  /** What the user types: `send`. */
  readonly name: string;
  /** One line for the program's help and the first line of the command's own. */
  readonly summary: string;
  /** Its positional arguments, all required, with their help lines: `[['payload', 'a built-in sample name...']]`. */
  readonly operands: ReadonlyArray<readonly [name: string, description: string]>;
  /** Its options, by the name `run` reads them under; `--help` is added to every command. */
  readonly options: S;
  /** Text printed after the options in its help (exit codes, examples), or `''`. */
  readonly footer: string;
  /**
   * Runs the command on its parsed command line.
   * @returns its exit code.
   * @throws UsageError for a mistake found after parsing (an unknown sample...).
   */
  run(operands: readonly string[], values: CliOptionValues<S>, io: CliIo): ExitCodeValue | Promise<ExitCodeValue>;
}

/** What {@link parseCommandLine} found for `options`: each option's parsed value, absent when not given. */
export type CliOptionValues<S extends CliOptions> = {
  readonly [K in keyof S]?: S[K] extends CliOption<infer T> ? T : never;
};

const FLAGS = /^(?:-([A-Za-z]), )?--([a-z][a-z-]*)(?: (<[^>]+>))?$/;

/**
 * Declares an option that takes a value, from how the help writes it (`-X, --method <method>`):
 * `parse` turns the value as typed into what the command gets (default: the string itself, the
 * last occurrence winning).
 *
 * @throws Error when `flags` are not `[-X, ]--name <value>`: a mistake in this program, not the user's.
 */
export function option(flags: string, description: string): CliOption<string>;
export function option<T>(flags: string, description: string, parse: (value: string, previous: T | undefined) => T): CliOption<T>;
export function option<T>(
  flags: string,
  description: string,
  parse: (value: string, previous: T | undefined) => T = (value) => value as T,
): CliOption<T> {
  return declare(flags, description, true, parse);
}

/**
 * Declares a flag, an option without a value (`--no-sign`), `true` when given.
 *
 * @throws Error when `flags` are not `[-X, ]--name`: a mistake in this program, not the user's.
 */
export function flag(flags: string, description: string): CliOption<true> {
  return declare(flags, description, false, () => true);
}

function declare<T>(flags: string, description: string, takesValue: boolean, parse: CliOption<T>['parse']): CliOption<T> {
  const match = FLAGS.exec(flags);
  if (!match || (match[3] !== undefined) !== takesValue) {
    throw new Error(`option flags "${flags}" are not "[-X, ]--name${takesValue ? ' <value>' : ''}"`);
  }
  return { flags, long: match[2]!, ...(match[1] !== undefined && { short: match[1] }), takesValue, description, parse };
}

/** `-h, --help`, which every command takes. */
export const HELP_OPTION = flag('-h, --help', 'show this help');

/** What a command's arguments were. */
export interface ParsedCommandLine<S extends CliOptions> {
  /** `--help` or `-h` was given, anywhere before `--`: show the help, ignore the rest. */
  readonly help: boolean;
  /** Each option's value (after `parse`), absent when not given. */
  readonly values: CliOptionValues<S>;
  /** The positional arguments, in order: exactly one per name of `operands`. */
  readonly operands: readonly string[];
}

/**
 * Parses a command's arguments (those after its name) against its options and its positional
 * arguments, all required.
 *
 * @param operands the names of the positional arguments, e.g. `['payload']`.
 * @throws UsageError for an unknown option (suggesting a near name), an option without its value,
 *   a value given to a flag, an unusable value (from the option's `parse`), a missing or an extra
 *   positional argument. Not with `--help`: help wins over every other mistake.
 */
export function parseCommandLine<S extends CliOptions>(
  args: readonly string[],
  options: S,
  operands: readonly string[],
): ParsedCommandLine<S> {
  const entries = Object.entries(options);
  const { tokens } = parseArgs({
    args: [...args],
    strict: false,
    allowPositionals: true,
    tokens: true,
    options: Object.fromEntries(
      [...entries.map(([, spec]) => spec), HELP_OPTION].map((spec) => [
        spec.long,
        {
          type: spec.takesValue ? ('string' as const) : ('boolean' as const),
          ...(spec.short !== undefined && { short: spec.short }),
        },
      ]),
    ),
  });
  if (tokens.some((token) => token.kind === 'option' && token.name === HELP_OPTION.long)) {
    return { help: true, values: {}, operands: [] };
  }
  const values: Record<string, unknown> = {};
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') positionals.push(token.value);
    if (token.kind !== 'option') continue;
    const entry = entries.find(([, spec]) => spec.long === token.name);
    if (!entry) {
      const known = entries.flatMap(([, spec]) => [`--${spec.long}`, ...(spec.short === undefined ? [] : [`-${spec.short}`])]);
      throw new UsageError(`unknown option '${token.rawName}'${didYouMean(token.rawName, known)}`);
    }
    const [key, spec] = entry;
    if (spec.takesValue && token.value === undefined) {
      throw new UsageError(`option '${spec.flags}' needs a value`);
    }
    if (!spec.takesValue && token.value !== undefined) {
      throw new UsageError(`option '${token.rawName}' takes no value`);
    }
    try {
      values[key] = spec.parse(token.value ?? '', values[key]);
    } catch (error) {
      throw new UsageError(`option '${spec.flags}': ${(error as Error).message}`);
    }
  }
  if (positionals.length < operands.length) {
    throw new UsageError(`missing required argument '${operands[positionals.length]}'`);
  }
  if (positionals.length > operands.length) {
    const extra = positionals.slice(operands.length).map((value) => `'${value}'`);
    throw new UsageError(
      `too many arguments: ${extra.join(' ')} (expected ${operands.map((name) => `<${name}>`).join(' ') || 'none'})`,
    );
  }
  return { help: false, values: values as CliOptionValues<S>, operands: positionals };
}

/**
 * ` (did you mean --secret?)` when one of `known` is within a typo of `given` (at most a third of
 * its letters changed, inserted, removed or swapped with a neighbour), else `''`.
 */
export function didYouMean(given: string, known: readonly string[]): string {
  const [best] = known
    .map((candidate) => [candidate, editDistance(given, candidate)] as const)
    .filter(([, distance]) => distance <= Math.max(1, Math.floor(given.length / 3)))
    .sort((a, b) => a[1] - b[1]);
  return best ? ` (did you mean ${best[0]}?)` : '';
}

/** Optimal string alignment distance: edits of one character, a swap of neighbours counting as one. */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      rows[i]![j] = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        rows[i]![j] = Math.min(rows[i]![j]!, rows[i - 2]![j - 2]! + 1);
      }
    }
  }
  return rows[a.length]![b.length]!;
}

/** The width the help is written to, in columns: fits an 80-column terminal. */
const HELP_WIDTH = 80;

/**
 * Lays out a two-column help section (`Options:`, `Commands:`...): each term, then its
 * description, wrapped at word boundaries to {@link HELP_WIDTH} columns and aligned after the
 * longest term.
 */
export function helpSection(title: string, rows: ReadonlyArray<readonly [term: string, description: string]>): string {
  const indent = Math.max(...rows.map(([term]) => term.length)) + 4;
  const lines = rows.map(([term, description]) =>
    wrap(description, HELP_WIDTH - indent)
      .map((line, i) => (i === 0 ? `  ${term.padEnd(indent - 2)}${line}` : `${' '.repeat(indent)}${line}`))
      .join('\n'),
  );
  return `${title}:\n${lines.join('\n')}\n`;
}

/** The help rows of a command's options, `--help` last. */
export function optionRows(options: CliOptions): Array<readonly [string, string]> {
  // Options with a one-letter alias line up with the others' long names, as in getopt-style help.
  return [...Object.values(options), HELP_OPTION].map((spec) => [
    spec.short === undefined ? `    ${spec.flags}` : spec.flags,
    spec.description,
  ]);
}

/** `text` wrapped at word boundaries to {@link HELP_WIDTH} columns, ending with a line break. */
export function paragraph(text: string): string {
  return `${wrap(text, HELP_WIDTH).join('\n')}\n`;
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  return [...lines, line];
}

/**
 * A command's help: usage line, summary, arguments, options (`--help` last) and footer.
 *
 * @param program the program's name, for the usage line: `jambonz-webhook`.
 */
export function commandHelp(program: string, command: CliCommand): string {
  const operands = command.operands.map(([name]) => ` <${name}>`).join('');
  const sections = [
    `Usage: ${program} ${command.name} [options]${operands}\n\n${paragraph(command.summary)}`,
    ...(command.operands.length > 0
      ? [
          helpSection(
            'Arguments',
            command.operands.map(([name, what]) => [`<${name}>`, what]),
          ),
        ]
      : []),
    helpSection('Options', optionRows(command.options)),
    ...(command.footer === '' ? [] : [`${command.footer}\n`]),
  ];
  return sections.join('\n');
}
