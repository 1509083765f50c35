// `npm run test:mutation`: StrykerJS over the pure core (decide/evolve, the stage statistics the
// funnel is built from, the statistics and the risk features), killed by the unit tier. Not run
// in CI: it takes minutes of CPU. Scores and the surviving mutants are in test/README.md.
// MUTATION_SCOPE=events mutates events/ only and leaves out the PGlite projection specs (about a
// quarter of an hour instead of most of an hour): events/ must be pinned by its own pure tests.
const scope = process.env.MUTATION_SCOPE ?? 'all';
const rest = [
  'projections/sessionSummary/sessionSummary.ts',
  'projections/sessionSummary/stageStats.ts',
  'services/analytics/statistics.ts',
  'services/risk/features.ts',
];

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'jest',
  jest: {
    projectType: 'custom',
    configFile: 'test/mutation/jest.config.js',
    enableFindRelatedTests: false,
  },
  coverageAnalysis: 'perTest',
  // Static mutants (code run once at module load: flow and schema constants) need the whole unit
  // tier per mutant, ~3/4 of the run time; they are left out of the score (see test/README.md).
  ignoreStatic: true,
  mutate: [
    'events/**/*.ts',
    // Avro schema declarations: data, not logic (the codec tests pin them by round trips).
    '!events/schemas/**',
    ...(scope === 'events' ? [] : rest),
  ],
  // Two CPU cores are shared with other work: one sandbox at a time by default.
  concurrency: Number(process.env.STRYKER_CONCURRENCY ?? 1),
  timeoutMS: 20_000,
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  ignorePatterns: ['bench-results', 'reports', '.stryker-tmp'],
  thresholds: { high: 90, break: null, low: 80 },
  cleanTempDir: 'always',
};
