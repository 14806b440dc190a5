import { defineConfig } from 'vitest/config';

// As `nest new` generates it for Nest 12 (without the tsconfig-paths plugin: no path aliases here).
export default defineConfig({
  test: {
    globals: true,
    root: './',
    include: ['test/**/*.e2e-spec.ts'],
  },
});
