#!/usr/bin/env node
// Checks what `npm publish` would ship, before it ships:
//   1. contents: the tarball holds only dist/**, README.md, LICENSE, CHANGELOG.md and
//      package.json, and every file package.json points at (exports, main, types, bin,
//      typesVersions) is in it; dist/cjs/package.json marks the CommonJS build as CommonJS;
//   2. publint --strict on the tarball (warnings count as errors);
//   3. @arethetypeswrong/cli on the tarball: every entry point resolves to the right types
//      under node10, node16 (from CJS and from ESM) and bundler.
//
//   node scripts/check-package.mjs [--no-build]
//
// publint and attw run through npx: the project's devDependencies when installed, otherwise a
// one-off download.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const PUBLINT = 'publint@^0.3.25';
const ATTW = '@arethetypeswrong/cli@^0.18.5';

const root = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const { values: options } = parseArgs({ options: { 'no-build': { type: 'boolean', default: false } } });

const ALLOWED = [/^dist\//, /^README\.md$/, /^LICENSE$/, /^CHANGELOG\.md$/, /^package\.json$/];
const REQUIRED = ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'dist/cjs/package.json'];
const FORBIDDEN_IN_DIST = [/\.spec\./, /\.test\./, /\.e2e-spec\./, /\.tsbuildinfo$/, /(^|\/)__\w+__\//];

const env = { ...process.env, NO_UPDATE_NOTIFIER: '1' };
const results = [];

function step(name, ok, details = []) {
  results.push({ name, ok });
  console.log(`${ok ? 'PASS' : 'FAIL'} ${name}`);
  for (const line of details) console.log(`     ${line}`);
}

function exec(command, args, { capture = false } = {}) {
  const result = spawnSync(command, args, {
    cwd: root,
    env,
    encoding: 'utf8',
    stdio: capture ? 'pipe' : 'inherit',
    shell: process.platform === 'win32', // npm.cmd and npx.cmd
  });
  if (result.error) throw result.error;
  return result;
}

if (!options['no-build']) {
  const build = exec(npm, ['run', 'build', '--silent'], { capture: true });
  if (build.status !== 0) {
    console.error(build.stdout, build.stderr);
    step('npm run build', false);
    process.exit(1);
  }
}

// 1. Contents. --ignore-scripts keeps lifecycle output out of the JSON; the build ran above.
const dryRun = exec(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], { capture: true });
if (dryRun.status !== 0) {
  console.error(dryRun.stderr);
  step('npm pack --dry-run', false);
  process.exit(1);
}
const [packed] = JSON.parse(dryRun.stdout);
const files = new Set(packed.files.map((file) => file.path.replaceAll('\\', '/')));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** Every file path package.json points at, with where it points from. */
function referencedFiles() {
  const refs = [];
  const walk = (value, where) => {
    if (typeof value === 'string') {
      if (value.startsWith('./') && !value.includes('*')) refs.push([value.slice(2), where]);
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => walk(item, `${where}[${index}]`));
    } else if (value && typeof value === 'object') {
      for (const [key, item] of Object.entries(value))
        walk(item, /^[\w$]+$/.test(key) ? `${where}.${key}` : `${where}[${JSON.stringify(key)}]`);
    }
  };
  walk(pkg.exports, 'exports');
  for (const field of ['main', 'module', 'types', 'typings']) {
    if (typeof pkg[field] === 'string') refs.push([pkg[field].replace(/^\.\//, ''), field]);
  }
  const bin = typeof pkg.bin === 'string' ? { [pkg.name]: pkg.bin } : (pkg.bin ?? {});
  for (const [name, path] of Object.entries(bin)) refs.push([path.replace(/^\.\//, ''), `bin.${name}`]);
  walk(pkg.typesVersions, 'typesVersions');
  return refs;
}

const problems = [];
for (const file of files) {
  if (!ALLOWED.some((pattern) => pattern.test(file))) problems.push(`not allowed in the package: ${file}`);
  if (file.startsWith('dist/') && FORBIDDEN_IN_DIST.some((pattern) => pattern.test(file)))
    problems.push(`test file in dist: ${file}`);
}
for (const file of REQUIRED) {
  if (!files.has(file))
    problems.push(`missing from the package: ${file}${file === 'CHANGELOG.md' ? ' (CHANGELOG.md does not exist yet?)' : ''}`);
}
for (const [file, where] of referencedFiles()) {
  if (!files.has(file)) problems.push(`${where} points at ${file}, which is not in the package`);
}
if (files.has('dist/cjs/package.json')) {
  const marker = JSON.parse(readFileSync(join(root, 'dist/cjs/package.json'), 'utf8'));
  if (marker.type !== 'commonjs') problems.push(`dist/cjs/package.json has type ${JSON.stringify(marker.type)}, not "commonjs"`);
}
const byTop = {};
for (const file of files) {
  const top = file
    .split('/')
    .slice(0, file.startsWith('dist/') ? 2 : 1)
    .join('/');
  byTop[top] = (byTop[top] ?? 0) + 1;
}
step(
  `contents: ${packed.filename}, ${files.size} files (${Object.entries(byTop)
    .map(([top, n]) => `${top} ${n}`)
    .join(', ')})`,
  problems.length === 0,
  problems,
);

// 2 and 3 run on a real tarball, the same one for both.
const packDir = mkdtempSync(join(tmpdir(), 'jambonz-check-package-'));
try {
  const pack = exec(npm, ['pack', '--pack-destination', packDir, '--ignore-scripts', '--loglevel=error'], { capture: true });
  const tarball = readdirSync(packDir).find((name) => name.endsWith('.tgz'));
  if (pack.status !== 0 || !tarball) {
    console.error(pack.stderr);
    step('npm pack', false);
  } else {
    const path = join(packDir, tarball);
    console.log(`\n$ publint run --strict ${tarball}`);
    step('publint --strict', exec(npx, ['--yes', PUBLINT, 'run', '--strict', path]).status === 0);
    console.log(`\n$ attw --profile strict ${tarball}`);
    step('attw (profile strict)', exec(npx, ['--yes', ATTW, '--profile', 'strict', path]).status === 0);
  }
} finally {
  rmSync(packDir, { recursive: true, force: true });
}

const failed = results.filter((result) => !result.ok).length;
console.log(`\n${results.length - failed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
