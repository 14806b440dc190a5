// ESLint (flat config) with typescript-eslint; formatting is Prettier's job, so its rules are off.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'dist-sample/',
      'coverage/',
      'reports/',
      '.stryker-tmp/',
      'node_modules/',
      'test/consumers/**/node_modules/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: globals.node },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      'no-console': 'error',
    },
  },
  {
    // Nest builds handlers and modules from decorated classes that look empty or unused to ESLint.
    files: ['**/*.ts'],
    rules: { '@typescript-eslint/no-extraneous-class': 'off' },
  },
  {
    // Tests, benchmarks, scripts and the CLI talk to the console on purpose.
    files: ['test/**', 'bench/**', 'scripts/**', 'src/cli/**', 'sample/**'],
    rules: { 'no-console': 'off' },
  },
  {
    // The Nest 11 consumer is a CommonJS project, as most existing Nest apps are.
    files: ['test/consumers/nest11-cjs-jest/**'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  prettier,
);
