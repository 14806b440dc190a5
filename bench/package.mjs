// Loads the built package (dist/esm through the package's self-reference), for the child
// processes. Other people may rebuild the same working tree while a bench runs (`npm run build`
// deletes dist/ first, then writes dist/esm, dist/cjs and last dist/cjs/package.json): a child
// started in that window waits for a complete build instead of failing.
import { statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

const ESM_ENTRY = new URL('../dist/esm/index.js', import.meta.url);
const LAST_WRITTEN = new URL('../dist/cjs/package.json', import.meta.url);

function buildComplete() {
  try {
    return statSync(LAST_WRITTEN).mtimeMs >= statSync(ESM_ENTRY).mtimeMs;
  } catch {
    return false;
  }
}

/** import('nestjs-jambonz-auth') once dist/ holds a complete build (waits up to `timeoutMs`). */
export async function loadPackage(timeoutMs = 120_000) {
  const end = Date.now() + timeoutMs;
  while (!buildComplete()) {
    if (Date.now() > end) throw new Error('bench: dist/ has no complete build; run npm run build');
    await sleep(250);
  }
  return import('nestjs-jambonz-auth');
}
