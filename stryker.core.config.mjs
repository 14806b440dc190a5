// Mutation testing of the Nest-free verifier (src/core) against its own unit specs.
// `npm run test:mutation` runs it before the Nest layer's; alone: `npm run test:mutation:core`.
import { mutationConfig } from './test/mutation/stryker-base.mjs';

export default mutationConfig({
  name: 'core',
  mutate: ['src/core/**/*.ts', '!src/core/**/*.spec.ts', '!src/core/index.ts'],
  breakAt: 90,
  jest: {
    testMatch: ['<rootDir>/src/core/**/*.spec.ts'],
    // The property suite (fast-check, 10,000 runs per property, about a minute alone) is left
    // out: every mutant it reaches would rerun it, and shrink every counterexample.
    testPathIgnorePatterns: ['/node_modules/', '\\.property\\.spec\\.ts$'],
    // The secrecy scan (test/support/secrecy.ts) loads Nest and Fastify into every test file
    // to check log lines and replies; the core neither logs nor replies.
    setupFilesAfterEnv: [],
  },
});
