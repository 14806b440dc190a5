// Mutation testing of the Nest layer (src/*.ts and src/replay/*.ts): guard, decorator, module,
// option rules, route policies, body reader and parser, secret resolver and replay protection,
// against the unit specs beside them and the e2e suites (real Nest apps over real HTTP on
// Express and Fastify, and a real redis-server).
// `npm run test:mutation` runs it after the core's; alone: `npm run test:mutation:nest`.
import { mutationConfig } from './test/mutation/stryker-base.mjs';

export default mutationConfig({
  name: 'nest',
  mutate: [
    'src/*.ts',
    'src/replay/*.ts',
    '!src/**/*.spec.ts',
    '!src/index.ts',
    // Types only: nothing to mutate.
    '!src/jambonz-auth-options.interface.ts',
    '!src/replay/replay-store.interface.ts',
  ],
  breakAt: 80,
  jest: {
    testMatch: ['<rootDir>/src/*.spec.ts', '<rootDir>/src/replay/**/*.spec.ts', '<rootDir>/test/*.e2e-spec.ts'],
  },
  // Jest's ESM module registries are not all collected between runs: restart each worker now and then.
  extra: { maxTestRunnerReuse: 100 },
});
