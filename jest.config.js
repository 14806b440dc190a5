/**
 * Jest runs in native ESM mode (Nest 12 is ESM-only): `npm test` starts it with
 * --experimental-vm-modules, and ts-jest compiles each file on its own (isolatedModules); the
 * whole project is type-checked separately by `npm run typecheck`.
 * @type {import('jest').Config}
 */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    '^nestjs-jambonz-auth$': '<rootDir>/src/index.ts',
    '^nestjs-jambonz-auth/testing$': '<rootDir>/src/testing/index.ts',
    '^nestjs-jambonz-auth/websocket$': '<rootDir>/src/websocket/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
  // `npm run test:unit` runs the unit specs beside the code alone. It is told by npm's script name
  // rather than a --testMatch flag, which would swallow the file patterns and options given after it.
  testMatch:
    process.env.npm_lifecycle_event === 'test:unit'
      ? ['<rootDir>/src/**/*.spec.ts']
      : ['<rootDir>/{src,test,sample}/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
  // The consumer apps run their own tests, against the packed package (npm run test:consumers).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/consumers/'],
  setupFilesAfterEnv: ['<rootDir>/test/support/secrecy.ts'],
  // Without redis-server on the PATH, the suites that need it are skipped (CI=true: the run
  // fails), and the last line of the run says how many tests were skipped and why.
  globalSetup: '<rootDir>/test/support/redis.global-setup.ts',
  reporters: ['default', '<rootDir>/test/support/skipped-tests.reporter.mjs'],
  maxWorkers: 2,
};
