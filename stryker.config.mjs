// `npm run test:mutation`: StrykerJS over the pure core (decide/evolve, the stage statistics the
// funnel is built from, the statistics and the risk features), killed by the unit tier. Not run
// in CI: it takes minutes of CPU. Scores and the surviving mutants are in test/README.md.
// MUTATION_SCOPE=events mutates events/ only and leaves out the PGlite projection specs (about a
// quarter of an hour instead of most of an hour): events/ must be pinned by its own pure tests.
// MUTATION_SCOPE=rest mutates only the `rest` list below, killed by the pure tests of analytics,
// risk and the read models' folds (test/mutation/jest.config.js), also without PGlite.
const scope = process.env.MUTATION_SCOPE ?? 'all';
// The pure modules of projections/ and services/ (no I/O, no clock, no config): the session
// summary fold and its stage statistics, the funnel read model's counts, histograms and their
// read-back, the funnel's stage arithmetic (the lines of funnel.ts before buildFunnel, which
// reads the database), rates, the statistics and the tests built on them, and the risk model's
// features, rule table, regression and metrics.
const rest = [
  'projections/sessionSummary/sessionSummary.ts',
  'projections/sessionSummary/stageStats.ts',
  'projections/funnel/funnelCounts.ts',
  'projections/funnel/funnelData.ts',
  'projections/funnel/timeHistogram.ts',
  'services/analytics/funnel.ts:14-78',
  'services/analytics/rates.ts',
  'services/analytics/statistics.ts',
  'services/analytics/transitionChanges.ts',
  'services/risk/features.ts',
  'services/risk/ruleScore.ts',
  'services/risk/logisticRegression.ts',
  'services/risk/evaluation.ts',
];
const events = [
  'events/**/*.ts',
  // Avro schema declarations: data, not logic (the codec tests pin them by round trips).
  '!events/schemas/**',
];

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'jest',
  jest: {
    projectType: 'custom',
    configFile: 'test/mutation/jest.config.js',
    // For `rest`, each mutant runs only the test files that import its file (jest
    // --findRelatedTests): every test of these pure modules imports what it tests, and loading
    // the whole tier per mutant was ~9 s of the ~10 s a mutant took on the shared machine.
    enableFindRelatedTests: scope === 'rest',
  },
  coverageAnalysis: 'perTest',
  // Static mutants (code run once at module load: flow and schema constants) need the whole unit
  // tier per mutant, ~3/4 of the run time; they are left out of the score (see test/README.md).
  ignoreStatic: true,
  mutate: scope === 'events' ? events : scope === 'rest' ? rest : [...events, ...rest],
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
