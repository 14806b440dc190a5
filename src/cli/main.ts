#!/usr/bin/env node
// The `jambonz-webhook` bin. Runs from the ESM build only (src/cli is left out of the CommonJS
// one), so import.meta and top-level await are available.
import { readFileSync } from 'node:fs';
import { processIo } from './io.js';
import { createProgram } from './program.js';

// dist/esm/cli/main.js -> the package root, in the repository and in an installed package alike.
const { version } = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };

process.exitCode = await createProgram(processIo(), { version }).run(process.argv.slice(2));
