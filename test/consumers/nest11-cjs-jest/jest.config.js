// Jest in its default CommonJS runtime (no --experimental-vm-modules, no useESM): the setup of
// most existing Nest projects. ts-jest compiles with tsconfig.json (module: commonjs) and
// type-checks each file.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  rootDir: __dirname,
  moduleFileExtensions: ['ts', 'js', 'json'],
  testMatch: ['<rootDir>/test/**/*.e2e.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
};
