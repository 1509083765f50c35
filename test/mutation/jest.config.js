// Jest as StrykerJS runs it: the unit tier without test/unit/api (the whole HTTP stack per request
// is too slow to run once per mutant on two cores), with the same swc transform as jest.config.js.
// The pure core has to be pinned by its own tests, not only through the API.
const transform = {
  '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2023' } }],
};

module.exports = {
  rootDir: '../..',
  transform,
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  // MUTATION_SCOPE=rest (stryker.config.mjs): only the pure tests of the modules it mutates.
  testMatch:
    process.env.MUTATION_SCOPE === 'rest'
      ? ['<rootDir>/test/unit/{analytics,risk,readModels}/**/*.unit.test.ts']
      : ['<rootDir>/test/unit/**/*.unit.test.ts'],
  testPathIgnorePatterns: [
    '/node_modules/',
    '<rootDir>/test/unit/api/',
    // MUTATION_SCOPE=events (stryker.config.mjs): without the PGlite projection specs.
    ...(process.env.MUTATION_SCOPE === 'events' ? ['<rootDir>/test/unit/projections/'] : []),
  ],
};
