// Four tiers, named by suffix: *.unit.test.ts (pure, no services), *.int.test.ts (real
// PostgreSQL, Redis, Kafka), *.e2e.test.ts (the whole pipeline), *.browser.test.ts (the console in
// Chromium). TypeScript is compiled by swc.
const transform = {
  '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2023' } }],
};
const common = { transform, testEnvironment: 'node', moduleFileExtensions: ['ts', 'js', 'json'] };

module.exports = {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/test/unit/**/*.unit.test.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/support/contractCheck.ts'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.int.test.ts'],
      globalSetup: '<rootDir>/test/support/globalSetup.ts',
      setupFilesAfterEnv: [
        '<rootDir>/test/support/longTimeout.ts',
        '<rootDir>/test/support/contractCheck.ts',
      ],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e.test.ts'],
      globalSetup: '<rootDir>/test/support/globalSetup.ts',
      setupFilesAfterEnv: [
        '<rootDir>/test/support/longTimeout.ts',
        '<rootDir>/test/support/contractCheck.ts',
      ],
    },
    {
      ...common,
      displayName: 'browser',
      testMatch: ['<rootDir>/test/browser/**/*.browser.test.ts'],
      globalSetup: '<rootDir>/test/support/globalSetup.ts',
      setupFilesAfterEnv: ['<rootDir>/test/support/longTimeout.ts'],
    },
  ],
};
