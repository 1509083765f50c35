import { loadConfig } from '../../infra/config/loadConfig';
import { openDatabase, openEventStore } from '../../infra/eventStore/openEventStore';
import { readModelMigrationDirs } from '../../projections/migrations';
import { trainFromStore } from '../risk/trainFromStore';

const option = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};

type Report = Awaited<ReturnType<typeof trainFromStore>>;
type Metrics = Report['evaluation']['model'];

const cell = (v: number | null) => (v === null ? 'n/a' : v.toFixed(3));
const row = (name: string, m: Metrics) =>
  `| ${name} | ${cell(m.roc_auc)} | ${cell(m.pr_auc)} | ${cell(m.f1_minority)} | ${cell(m.precision)} | ${cell(m.recall)} |`;

/** The evaluation as the README shows it: model against the majority baseline, then calibration. */
const table = (r: Report): string =>
  [
    `model v${r.version}: ${r.examples} finished sessions (train ${r.evaluation.split.train}, test ${r.evaluation.split.test}, split at ${r.evaluation.split.split_at}); test positive rate ${r.evaluation.split.test_positive_rate}`,
    '| scorer | ROC-AUC | PR-AUC | F1 (minority) | precision | recall |',
    '|---|---|---|---|---|---|',
    row('logistic regression', r.evaluation.model),
    row('majority baseline', r.evaluation.majority_baseline),
    row('rule table (original)', r.evaluation.rule_table),
    '',
    '| P(lost) | sessions | mean predicted | observed |',
    '|---|---|---|---|',
    ...r.evaluation.calibration.map(
      (c) =>
        `| ${c.bin} | ${c.count} | ${c.mean_predicted === null ? '-' : c.mean_predicted.toFixed(3)} | ${c.observed_rate === null ? '-' : c.observed_rate.toFixed(3)} |`,
    ),
  ].join('\n');

const main = async (): Promise<void> => {
  const config = loadConfig();
  const database = await openDatabase(config, 'waymark-risk-train', readModelMigrationDirs);
  const { store } = openEventStore(config, database);
  const tenant = option('tenant', '');
  const report = await trainFromStore(
    { eventStore: store, sql: database.sql },
    {
      horizonMinutes: Number(option('horizon-minutes', '15')),
      excludeReasons: option('exclude-reasons', 'declined').split(',').filter(Boolean),
      tenantId: tenant === '' ? null : tenant,
      l2: Number(option('l2', '1')),
      activate: !process.argv.includes('--no-activate'),
    },
  );
  process.stdout.write(`${table(report)}\n`);
  await database.sql.close();
};

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
