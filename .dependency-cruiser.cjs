/** Layer rules: dependencies point inward, and only composition roots wire concrete adapters. */
const adapters =
  '^infra/(eventStore/((messageDb|esdb|inMemory)EventStore|openEventStore)|postgres/(pg|pglite)SqlClient|uploads/(redisUploadQuota|memoryUploadQuota|sniffType)|storage/localFileStorage|privacy/(pg|memory)KeyStore|snapshots/(redis|pg|memory)SnapshotStore|rateLimit/(redis|memory)RateLimiter)\\.ts$';
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'events-are-pure',
      comment: 'events/ imports nothing of ours outside events/ and no I/O library.',
      severity: 'error',
      from: { path: '^events/' },
      to: { pathNot: '^events/' },
    },
    {
      name: 'projections-inward',
      severity: 'error',
      from: { path: '^projections/' },
      to: { path: '^services/' },
    },
    {
      name: 'infra-not-services',
      severity: 'error',
      from: { path: '^infra/' },
      to: { path: '^(services|projections)/' },
    },
    {
      name: 'adapters-only-in-composition-roots',
      comment:
        'Concrete adapters are wired only in composition roots: main.ts files, the CLI commands in services/cli/ (each a main) and tests, which wire their own.',
      severity: 'error',
      from: { pathNot: ['(^|/)main\\.ts$', '^services/cli/', '^test/', '^infra/'] },
      to: { path: adapters },
    },
    {
      name: 'routes-do-not-touch-infra',
      comment:
        'A route maps HTTP to a use case and back: it may name infra types, never call infra code.',
      severity: 'error',
      from: { path: '^services/[^/]+/routes\\.ts$' },
      to: { path: '^infra/', dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
  },
};
