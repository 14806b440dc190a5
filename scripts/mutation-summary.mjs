#!/usr/bin/env node
// Writes docs/mutation-testing.md from Stryker's reports: `npm run test:mutation` runs it after
// both Stryker runs (stryker.core.config.mjs, stryker.nest.config.mjs), so the committed scores
// are always the last full run's, never typed by hand. The HTML reports stay in
// reports/mutation/<scope>/ (not committed).
//
//   node scripts/mutation-summary.mjs
//
// Scores as Stryker computes them: detected (killed or timed out) ÷ (detected + survived + no
// coverage); compile and runtime errors and ignored mutants do not count.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { sourceState } from './source-state.mjs';

const ROOT = new URL('../', import.meta.url);
const OUT = new URL('docs/mutation-testing.md', ROOT);
const SCOPES = [
  ['core', 'src/core: the Nest-free verifier, against its unit specs', 'stryker.core.config.mjs'],
  ['nest', 'the Nest layer and replay protection, against their unit specs and the e2e suites', 'stryker.nest.config.mjs'],
];

function summarise(name) {
  const file = new URL(`reports/mutation/${name}/mutation.json`, ROOT);
  let report;
  try {
    report = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    console.error(`scripts/mutation-summary: no Stryker report for "${name}" (${error.message}); run npm run test:mutation`);
    process.exit(1);
  }
  const counts = {};
  const survivors = [];
  for (const [path, { mutants }] of Object.entries(report.files)) {
    for (const mutant of mutants) {
      counts[mutant.status] = (counts[mutant.status] ?? 0) + 1;
      if (mutant.status === 'Survived' || mutant.status === 'NoCoverage') {
        const { line, column } = mutant.location.start;
        const replacement = String(mutant.replacement ?? '')
          .replace(/\s+/g, ' ')
          .replaceAll('`', "'")
          .slice(0, 80);
        survivors.push({
          path,
          line,
          text: `${path}:${line}:${column} ${mutant.mutatorName} (${mutant.status}): \`${replacement}\``,
        });
      }
    }
  }
  const n = (status) => counts[status] ?? 0;
  const detected = n('Killed') + n('Timeout');
  const undetected = n('Survived') + n('NoCoverage');
  return {
    name,
    at: statSync(file).mtime.toISOString().slice(0, 16).replace('T', ' '),
    score: (100 * detected) / Math.max(1, detected + undetected),
    detected,
    undetected,
    killed: n('Killed'),
    timeout: n('Timeout'),
    survived: n('Survived'),
    noCoverage: n('NoCoverage'),
    excluded: n('CompileError') + n('RuntimeError') + n('Ignored'),
    survivors: survivors.sort((a, b) => a.path.localeCompare(b.path) || a.line - b.line).map((s) => s.text),
  };
}

const results = SCOPES.map(([name]) => summarise(name));
const lines = [
  '# Mutation testing',
  '',
  'Written by `npm run test:mutation` (`scripts/mutation-summary.mjs`) from Stryker’s reports; do not edit. The',
  'HTML reports, with every mutant, are in `reports/mutation/<scope>/index.html` after a run.',
  '',
  `Measured source: ${sourceState()}.`,
  '',
  '| scope | what is mutated | score | detected | killed | timed out | survived | no coverage | not counted | report written (UTC) |',
  '| ----- | --------------- | ----- | -------- | ------ | --------- | -------- | ----------- | ----------- | -------------------- |',
  ...results.map((r, i) => {
    const [name, what, config] = SCOPES[i];
    return `| ${name} (\`${config}\`) | ${what} | ${r.score.toFixed(1)} % | ${r.detected} of ${r.detected + r.undetected} | ${r.killed} | ${r.timeout} | ${r.survived} | ${r.noCoverage} | ${r.excluded} | ${r.at} |`;
  }),
  '',
  '## Mutants not detected',
  '',
  ...results.flatMap((r) => [`### ${r.name}`, '', ...(r.survivors.length ? r.survivors.map((s) => `- ${s}`) : ['None.']), '']),
];
const path = fileURLToPath(OUT);
writeFileSync(OUT, await format(lines.join('\n'), { ...(await resolveConfig(path)), filepath: path }));
console.log(`docs/mutation-testing.md: ${results.map((r) => `${r.name} ${r.score.toFixed(1)} %`).join(', ')}`);
