// Lint enforces the architecture as well as style: size and complexity caps, no console, only
// infra/config reads process.env, and events/ stays pure (no I/O libraries). Layer rules that need
// paths (adapters only wired in composition roots, no cycles) live in .dependency-cruiser.cjs.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const ioLibraries = [
  'express',
  'pg',
  'kafkajs',
  'ioredis',
  '@eventstore/db-client',
  '@electric-sql/pglite',
  'avsc',
  'pino',
  'prom-client',
  'opossum',
  'jose',
  'zod',
].map((name) => ({ name, message: 'events/ is pure: no I/O or framework libraries.' }));

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      '.waymark-data/**',
      'coverage/**',
      'bench-results/**',
      'reports/**',
      '.stryker-tmp/**',
      'test/mutation/*.js',
      'services/client/*.generated.ts',
      '*.js',
      '*.cjs',
      '*.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      'max-lines': ['error', { max: 250, skipBlankLines: true, skipComments: true }],
      complexity: ['error', 12],
      'max-depth': ['error', 3],
      'max-params': ['error', 4],
      'no-console': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Only infra/config reads process.env.' },
      ],
    },
  },
  {
    files: ['events/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: ioLibraries, patterns: ['node:*', 'fs', 'net', 'http'] },
      ],
    },
  },
  {
    files: ['infra/config/**/*.ts', 'test/support/**/*.ts', 'test/bench/**/*.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      'max-lines': ['error', { max: 400, skipBlankLines: true, skipComments: true }],
      'no-console': 'off',
      '@typescript-eslint/unbound-method': 'off',
      // supertest and fetch bodies are untyped JSON; assertions check their shape.
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  { files: ['test/bench/**/*.ts', 'services/cli/**/*.ts'], rules: { 'no-console': 'off' } },
  {
    // The console's browser modules: plain ES modules without types (no build step).
    files: ['services/console/public/**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      sourceType: 'module',
      parserOptions: { projectService: false },
      globals: Object.fromEntries(
        ['window', 'document', 'location', 'history', 'sessionStorage', 'fetch', 'atob', 'Node']
          .concat(['URLSearchParams', 'setTimeout', 'clearTimeout'])
          .map((name) => [name, 'readonly']),
      ),
    },
  },
);
