import { onboardingCategory } from '../../events/streamNames';
import type { EventStore } from '../../infra/eventStore/eventStore';
import { saveRiskModel } from '../../infra/postgres/riskModelStore';
import type { SqlClient } from '../../infra/postgres/sqlClient';
import { featureNames } from './features';
import { trainRiskModel } from './train';
import { createTrainingSetBuilder, type TrainingSetOptions } from './trainingSet';

const pageSize = 5_000;

/**
 * `npm run risk:train`: reads the onboarding log from the start (constant pages), builds the
 * examples, trains and evaluates, and stores the model as a new version (active unless told).
 */
export const trainFromStore = async (
  deps: Readonly<{ eventStore: EventStore; sql: SqlClient }>,
  options: TrainingSetOptions & Readonly<{ l2: number; activate: boolean }>,
) => {
  const builder = createTrainingSetBuilder(options);
  for (let from = 0; ;) {
    const page = await deps.eventStore.readCategory(onboardingCategory, from, pageSize);
    page.forEach(builder.add);
    const last = page.at(-1);
    if (last === undefined || page.length < pageSize) break;
    from = last.globalPosition + 1;
  }
  const examples = builder.examples();
  const trained = trainRiskModel(examples, options.l2);
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
    options.activate,
  );
  return { version, sessionsSeen: builder.size(), examples: examples.length, ...trained };
};
