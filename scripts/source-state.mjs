// Which source a figure was measured on, for the files that record figures (BENCHMARKS.md,
// docs/mutation-testing.md).
import { execFileSync } from 'node:child_process';

/**
 * The commit checked out, and how many files under src/ differ from it, e.g. `c3331c2` or
 * `c3331c2 + 2 changed file(s) under src/`; `unknown (not a git checkout)` outside git.
 */
export function sourceState() {
  const git = (...args) =>
    execFileSync('git', args, {
      cwd: new URL('..', import.meta.url),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  try {
    const changed = git('status', '--porcelain', '--', 'src').split('\n').filter(Boolean).length;
    return `${git('rev-parse', '--short', 'HEAD')}${changed ? ` + ${changed} changed file(s) under src/` : ''}`;
  } catch {
    return 'unknown (not a git checkout)';
  }
}
