import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { JAMBONZ_SAMPLES } from '../testing/jambonz-samples.js';
import { DEFAULT_ROUTE, FIXTURES_DIR } from './defaults.js';
import { UsageError } from './exit-code.js';

/** A `<payload>` argument turned into what goes on the wire. */
export interface ResolvedPayload {
  /** Where it came from, for messages: `sample call-hook-inbound` or `file /abs/path.json`. */
  readonly origin: string;
  /**
   * The exact body: `JSON.stringify(payload)`, compact, non-ASCII as raw UTF-8, keys in their
   * original order. jambonz signs and posts this very string (feature server
   * `lib/utils/base-requestor.js` and `http-requestor.js`).
   */
  readonly body: string;
  /**
   * Where the payload goes when no URL is given: a sample's route in the sample app, else
   * `DEFAULT_ROUTE` (the call hook).
   */
  readonly route: string;
}

/** A bare name such as `call-hook-inbound-unicode-caller`: no directory, no extension needed. */
const BARE_NAME = /^[\w.-]+$/;

/**
 * Resolves `<payload>`, in order: a built-in sample name (`JAMBONZ_SAMPLES` of
 * `nestjs-jambonz-auth/testing`); a path to a JSON file, relative to `cwd`; a bare name looked
 * up as `<cwd>/test/fixtures/jambonz-webhooks/<name>.json` (this repository's captures).
 *
 * A file is parsed and re-serialised, because jambonz sends `JSON.stringify` of an object, never
 * a file's text: pretty-printing goes, `\u00e9` escapes become raw UTF-8, `1.0` becomes `1`,
 * a leading byte-order mark is ignored.
 *
 * @param spec the `<payload>` argument.
 * @param cwd the directory relative paths are resolved against.
 * @throws UsageError when `spec` names no sample and no readable file (the message lists the
 *   sample names), or the file is not JSON.
 */
export function resolvePayload(spec: string, cwd: string): ResolvedPayload {
  const sample = JAMBONZ_SAMPLES.find((candidate) => candidate.name === spec);
  if (sample) {
    return { origin: `sample ${sample.name}`, body: JSON.stringify(sample.payload), route: sample.route };
  }
  const candidates = [resolve(cwd, spec), ...(BARE_NAME.test(spec) ? [resolve(cwd, FIXTURES_DIR, `${spec}.json`)] : [])];
  const path = candidates.find(isFile);
  if (path === undefined) {
    throw new UsageError(
      `"${spec}" is neither a built-in sample nor a JSON file (looked for ${candidates.join(' and ')}); ` +
        `samples: ${JAMBONZ_SAMPLES.map((s) => s.name).join(', ')}.`,
    );
  }
  return { origin: `file ${path}`, body: JSON.stringify(parseJsonFile(path)), route: DEFAULT_ROUTE };
}

function isFile(path: string): boolean {
  try {
    return statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
  } catch {
    // ENOTDIR (`package.json/x`), EACCES, ENAMETOOLONG...: not a file we can read, a usage error.
    return false;
  }
}

function parseJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new UsageError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
}
