// BENCHMARKS.md holds prose written by hand and the results the bench commands print. Each
// command owns one block, between two marker lines, as a fenced text block:
//
//   <!-- begin generated: npm run bench -->
//
//   ```text
//   ...what the command printed...
//   ```
//
//   <!-- end generated: npm run bench -->
//
// A command replaces its block whole and touches nothing else, and refuses to write into a file
// whose blocks are not well-formed. `npm run lint` runs this file, which fails on a malformed
// file: a marker missing, repeated, out of order or not on a line of its own, a block that is
// not exactly one fenced text block, or a block's first line found outside it (results pasted
// into the prose, as happened once, three times over, in the middle of a sentence).
//
//   node bench/benchmarks-md.mjs        checks BENCHMARKS.md; exits 1 with the problems
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const FILE = new URL('../BENCHMARKS.md', import.meta.url);

/** The blocks, by the command that writes them, in the order they appear. */
export const BLOCKS = Object.freeze([
  'npm run bench',
  'npm run bench:instructions',
  'npm run bench:ws',
  'npm run bench:observability',
]);

const MARKER = /^<!-- (begin|end) generated: (.+) -->$/;
const FENCE_OPEN = '```text';
const FENCE_CLOSE = '```';

/** Where each block's marker lines are, and what is wrong with them. */
function locate(lines) {
  const problems = [];
  const found = new Map(BLOCKS.map((id) => [id, { begin: [], end: [] }]));
  lines.forEach((line, index) => {
    const marker = MARKER.exec(line);
    if (!marker) {
      if (line.includes('generated: npm run')) problems.push(`line ${index + 1}: a marker that is not on a line of its own`);
      return;
    }
    const [, kind, id] = marker;
    if (!found.has(id)) problems.push(`line ${index + 1}: a marker for an unknown block "${id}" (known: ${BLOCKS.join(', ')})`);
    else found.get(id)[kind].push(index);
  });
  const blocks = [];
  for (const [id, { begin, end }] of found) {
    if (begin.length !== 1 || end.length !== 1) {
      problems.push(`block "${id}": ${begin.length} begin and ${end.length} end markers, wanted one of each`);
    } else if (begin[0] > end[0]) {
      problems.push(`block "${id}": its end marker (line ${end[0] + 1}) comes before its begin marker (line ${begin[0] + 1})`);
    } else {
      blocks.push({ id, begin: begin[0], end: end[0] });
    }
  }
  for (let i = 1; i < blocks.length; i++) {
    if (blocks[i].begin < blocks[i - 1].end)
      problems.push(`block "${blocks[i].id}" overlaps or comes before block "${blocks[i - 1].id}"`);
  }
  return { problems, blocks };
}

/** @returns what is wrong with `text` as BENCHMARKS.md, one sentence each; empty when nothing is. */
export function benchmarksMdProblems(text) {
  const lines = text.split('\n');
  const { problems, blocks } = locate(lines);
  const prose = lines.map((line, index) => (blocks.some((b) => index >= b.begin && index <= b.end) ? undefined : line));
  for (const { id, begin, end } of blocks) {
    const inside = lines.slice(begin + 1, end);
    const shaped =
      inside.length >= 5 && inside[0] === '' && inside[1] === FENCE_OPEN && inside.at(-2) === FENCE_CLOSE && inside.at(-1) === '';
    if (!shaped) {
      problems.push(
        `block "${id}": not one ${FENCE_OPEN} fenced block between its markers, set off by a blank line on each side`,
      );
      continue;
    }
    const body = inside.slice(2, -2);
    if (body.some((line) => line.startsWith('```'))) problems.push(`block "${id}": a code fence inside its text block`);
    // A line of the block found in the prose, even inside a sentence, is output pasted there.
    for (const line of body.map((l) => l.trim()).filter((l) => l.length >= 12 && /[^-\s]/.test(l))) {
      const at = prose.findIndex((text) => text?.includes(line));
      if (at !== -1) {
        problems.push(`block "${id}": its line "${line}" appears outside the blocks too, at line ${at + 1}`);
        break;
      }
    }
  }
  return problems;
}

/**
 * `text` with the block of `id` holding `content` (what the command printed), and nothing else
 * changed.
 * @throws Error when `text` is malformed (it is not touched: fix it by hand first) or when
 *   `content` holds a code fence.
 */
export function replaceBlock(text, id, content) {
  const before = benchmarksMdProblems(text);
  if (before.length > 0) throw new Error(`BENCHMARKS.md is malformed, not rewriting it:\n  ${before.join('\n  ')}`);
  if (content.includes('```')) throw new Error(`the output of ${id} holds a code fence`);
  const lines = text.split('\n');
  const { begin, end } = locate(lines).blocks.find((block) => block.id === id);
  const block = ['', FENCE_OPEN, ...content.trimEnd().split('\n'), FENCE_CLOSE, ''];
  const replaced = [...lines.slice(0, begin + 1), ...block, ...lines.slice(end)].join('\n');
  const after = benchmarksMdProblems(replaced);
  if (after.length > 0) throw new Error(`rewriting BENCHMARKS.md would break it:\n  ${after.join('\n  ')}`);
  return replaced;
}

/** Rewrites the block of `id` in BENCHMARKS.md with `content` (see replaceBlock). */
export function writeBlock(id, content) {
  writeFileSync(FILE, replaceBlock(readFileSync(FILE, 'utf8'), id, content));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const file = process.argv[2] ? new URL(process.argv[2], pathToFileURL(`${process.cwd()}/`)) : FILE;
  const problems = benchmarksMdProblems(readFileSync(file, 'utf8'));
  for (const problem of problems) console.error(`BENCHMARKS.md: ${problem}`);
  process.exitCode = problems.length > 0 ? 1 : 0;
}
