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
  testMatch: ['<rootDir>/{src,test,sample}/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
  setupFilesAfterEnv: ['<rootDir>/test/support/secrecy.ts'],
  maxWorkers: 2,
};
