import { loadConfig } from '../../infra/config/loadConfig';
import { openDatabase, openEventStore } from '../../infra/eventStore/openEventStore';
import { readModelMigrationDirs } from '../../projections/migrations';
import { trainFromStore } from '../risk/trainFromStore';
import { parseTrainRiskArgs, trainRiskUsage } from './trainRiskArgs';

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
    ...(r.evaluation.active_model !== null && r.evaluation.active_model !== 'incomparable'
      ? [row('active model', r.evaluation.active_model)]
      : []),
    '',
    '| P(lost) | sessions | mean predicted | observed |',
    '|---|---|---|---|',
    ...r.evaluation.calibration.map(
      (c) =>
        `| ${c.bin} | ${c.count} | ${c.mean_predicted === null ? '-' : c.mean_predicted.toFixed(3)} | ${c.observed_rate === null ? '-' : c.observed_rate.toFixed(3)} |`,
    ),
  ].join('\n');

/** What happened to the new version, in one line (a forced activation says so). */
const outcome = (r: Report): string => {
  const { activation: a } = r;
  if (!r.activated && a.activate)
    return `model v${r.version} stored, not activated (--no-activate)`;
  if (!r.activated)
    return `model v${r.version} stored, NOT activated: it does not beat ${a.notBeaten.join(', ')} on the test split (--force to activate anyway)`;
  return a.forced
    ? `model v${r.version} activated by --force although it does not beat ${a.notBeaten.join(', ')}`
    : `model v${r.version} activated: it beats both baselines${r.evaluation.active_model === null ? '' : ' and the active model'}`;
};

const main = async (): Promise<void> => {
  let options: ReturnType<typeof parseTrainRiskArgs>;
  try {
    options = parseTrainRiskArgs(process.argv.slice(2));
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${trainRiskUsage}`);
  }
  const config = loadConfig();
  const database = await openDatabase(config, 'waymark-risk-train', readModelMigrationDirs);
  const { store } = openEventStore(config, database);
  try {
    const report = await trainFromStore({ eventStore: store, sql: database.sql }, options);
    process.stdout.write(`${table(report)}\n\n${outcome(report)}\n`);
  } finally {
    await database.sql.close();
  }
};

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
