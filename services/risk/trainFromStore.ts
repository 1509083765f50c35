import { onboardingCategory } from '../../events/streamNames';
import type { EventStore } from '../../infra/eventStore/eventStore';
import { activeRiskModel, saveRiskModel } from '../../infra/postgres/riskModelStore';
import type { SqlClient } from '../../infra/postgres/sqlClient';
import { featureNames } from './features';
import { decideActivation, TrainingRefusedError } from './activation';
import type { RiskModel } from './riskModel';
import { trainRiskModel, type Incumbent } from './train';
import { createTrainingSetBuilder, type TrainingSetOptions } from './trainingSet';

const pageSize = 5_000;

/** The model now in use for the scope (the tenant's, else the global one), as the trainer compares. */
const incumbentOf = async (sql: SqlClient, scope: string): Promise<Incumbent | 'incomparable'> => {
  const stored = await activeRiskModel(sql, scope);
  if (stored === null) return null;
  const body = stored.body as Partial<RiskModel>;
  const same =
    body.model !== undefined &&
    body.stepMedians !== undefined &&
    JSON.stringify(body.featureNames) === JSON.stringify(featureNames);
  return same ? { model: body.model, stepMedians: body.stepMedians } : 'incomparable';
};

/**
 * `npm run risk:train`: reads the onboarding log from the start (constant pages), builds the
 * examples, trains and evaluates, and stores the model as a new version. It becomes active only
 * when asked (`activate`) and when it beats both baselines and the model in use on the same test
 * split, or when `force`d. A tenant with no sessions in the log is an error, not a global model.
 */
export const trainFromStore = async (
  deps: Readonly<{ eventStore: EventStore; sql: SqlClient }>,
  options: TrainingSetOptions & Readonly<{ l2: number; activate: boolean; force: boolean }>,
) => {
  const builder = createTrainingSetBuilder(options);
  for (let from = 0; ;) {
    const page = await deps.eventStore.readCategory(onboardingCategory, from, pageSize);
    page.forEach(builder.add);
    const last = page.at(-1);
    if (last === undefined || page.length < pageSize) break;
    from = last.globalPosition + 1;
  }
  if (options.tenantId !== null && builder.size() === 0)
    throw new TrainingRefusedError('unknown_tenant', 'no sessions of that tenant in the log');
  const examples = builder.examples();
  const trained = trainRiskModel(
    examples,
    options.l2,
    await incumbentOf(deps.sql, options.tenantId ?? ''),
  );
  const activation = decideActivation(trained.evaluation, options.force);
  const version = await saveRiskModel(
    deps.sql,
    {
      scope: options.tenantId ?? '',
      algorithm: 'logistic_regression_l2',
      body: {
        featureNames,
        model: trained.model,
        threshold: trained.threshold,
        stepMedians: trained.stepMedians,
        horizonMinutes: options.horizonMinutes,
      },
      evaluation: { ...trained.evaluation, options },
    },
    options.activate && activation.activate,
  );
  return {
    version,
    sessionsSeen: builder.size(),
    examples: examples.length,
    activated: options.activate && activation.activate,
    activation,
    ...trained,
  };
};
