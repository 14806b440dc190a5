import { JAMBONZ_SAMPLES } from '../testing/jambonz-samples.js';
import type { CliCommand } from './command-line.js';
import { ExitCode } from './exit-code.js';

/**
 * `samples`: lists the built-in sample payloads (`JAMBONZ_SAMPLES` of
 * `nestjs-jambonz-auth/testing`), one a line: name, description, and the sample app's route
 * that `send` posts it to.
 */
export const SAMPLES_COMMAND: CliCommand<Record<string, never>> = {
  name: 'samples',
  summary: 'List the built-in sample payloads, and the route of the sample app that each goes to.',
  operands: [],
  options: {},
  footer: '',
  run: (_operands, _options, io) => {
    const width = Math.max(...JAMBONZ_SAMPLES.map((sample) => sample.name.length));
    io.stdout(JAMBONZ_SAMPLES.map((s) => `${s.name.padEnd(width)}  ${s.description} (sample app: ${s.route})\n`).join(''));
    return ExitCode.ok;
  },
};
