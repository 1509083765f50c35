import path from 'node:path';

/** Each read model's own migrations (its tables and indexes), run with the core ones. */
export const readModelMigrationDirs: readonly string[] = [
  path.join(__dirname, 'sessionSummary', 'migrations'),
  path.join(__dirname, 'funnel', 'migrations'),
  path.join(__dirname, 'heatmap', 'migrations'),
  path.join(__dirname, 'risk', 'migrations'),
];
