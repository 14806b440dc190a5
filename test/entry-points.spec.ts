import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/*
 * What each entry point loads at run time, from the sources: an HTTP-only app must not need the
 * WebSocket packages (optional peer dependencies), so neither the main entry point nor /testing
 * may import them, directly or through another file. /testing's client loads `ws` with a dynamic
 * import() when it is called, which this walk does not follow.
 */

const SRC = fileURLToPath(new URL('../src/', import.meta.url));
const WEBSOCKET_PACKAGES = ['@nestjs/websockets', '@nestjs/platform-ws', 'ws'];

/** Static `import ... from` and `export ... from` that survive compilation (not `import type` / `export type`). */
const RUNTIME_IMPORT = /^(?:import|export)\s+(?!type\s)(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;

/** Every package a source file loads when it is loaded, following relative imports; by package, the first file that imports it. */
function runtimePackages(entry: string): Map<string, string> {
  const packages = new Map<string, string>();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(RUNTIME_IMPORT)) {
      if (specifier!.startsWith('.')) {
        visit(join(dirname(file), specifier!.replace(/\.js$/, '.ts')));
      } else {
        const name = specifier!.startsWith('@') ? specifier!.split('/').slice(0, 2).join('/') : specifier!.split('/')[0]!;
        if (!packages.has(name)) packages.set(name, relative(SRC, file));
      }
    }
  };
  visit(join(SRC, entry));
  return packages;
}

describe('entry points', () => {
  it.each(['index.ts', 'testing/index.ts'])('%s loads no WebSocket package', (entry) => {
    const packages = runtimePackages(entry);
    expect(WEBSOCKET_PACKAGES.filter((name) => packages.has(name)).map((name) => `${name} (from ${packages.get(name)})`)).toEqual(
      [],
    );
    // The walk follows relative imports down to the core, which hashes with node:crypto.
    expect(packages.has('node:crypto')).toBe(true);
  });

  it('websocket/index.ts loads them, which the walk sees', () => {
    const packages = runtimePackages('websocket/index.ts');
    expect(['@nestjs/websockets', '@nestjs/platform-ws'].filter((name) => packages.has(name))).toHaveLength(2);
  });
});
