// After the two tsc builds: mark the CommonJS build as CommonJS (the package itself is
// "type": "module"), and make the CLI executable, as npm makes a bin on install.
import { chmodSync, writeFileSync } from 'node:fs';

writeFileSync(new URL('../dist/cjs/package.json', import.meta.url), `${JSON.stringify({ type: 'commonjs' })}\n`);
chmodSync(new URL('../dist/esm/cli/main.js', import.meta.url), 0o755);
