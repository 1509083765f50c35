import { parseTrainRiskArgs } from '../../../services/cli/trainRiskArgs';
import {
  decideActivation,
  minTestPerClass,
  requireTestClasses,
} from '../../../services/risk/activation';

const scores = (roc: number, pr: number) => ({ roc_auc: roc, pr_auc: pr });

describe('risk:train cannot make things worse', () => {
  it('refuses a test split with fewer than 30 sessions of either class', () => {
    const labels = (lost: number, completed: number) => [
      ...Array<number>(lost).fill(1),
      ...Array<number>(completed).fill(0),
    ];
    expect(minTestPerClass).toBe(30);
    expect(() => requireTestClasses(labels(29, 500))).toThrow('29 lost and 500 completed');
    expect(() => requireTestClasses(labels(500, 29))).toThrow('at least 30 of each');
    expect(() => requireTestClasses(labels(30, 30))).not.toThrow();
  });

  it('activates only a model that beats both baselines and the active model, unless forced', () => {
    const base = { majority_baseline: scores(0.5, 0.2), rule_table: scores(0.6, 0.3) };
    expect(
      decideActivation({ ...base, model: scores(0.8, 0.5), active_model: null }, false),
    ).toEqual({ activate: true, forced: false, notBeaten: [] });
    // Better than the baselines but not than the model in use (PR-AUC lower): kept inactive.
    const worse = { ...base, model: scores(0.8, 0.5), active_model: scores(0.79, 0.55) };
    expect(decideActivation(worse, false)).toEqual({
      activate: false,
      forced: false,
      notBeaten: ['active_model'],
    });
    expect(decideActivation(worse, true)).toEqual({
      activate: true,
      forced: true,
      notBeaten: ['active_model'],
    });
    // A tie is not a win; the rule table beaten on ROC-AUC only is not beaten.
    expect(
      decideActivation({ ...base, model: scores(0.6, 0.5), active_model: null }, false).notBeaten,
    ).toEqual(['rule_table']);
    // An active model that cannot be scored on this split (other features) is not beaten.
    expect(
      decideActivation({ ...base, model: scores(0.9, 0.9), active_model: 'incomparable' }, false),
    ).toMatchObject({ activate: false, notBeaten: ['active_model'] });
  });

  it('parses its arguments strictly: unknown options, stray arguments and bad numbers are errors', () => {
    expect(parseTrainRiskArgs([])).toEqual({
      tenantId: null,
      horizonMinutes: 15,
      excludeReasons: ['declined'],
      l2: 1,
      activate: true,
      force: false,
    });
    expect(
      parseTrainRiskArgs([
        '--tenant',
        'acme',
        '--horizon-minutes',
        '60',
        '--force',
        '--no-activate',
      ]),
    ).toMatchObject({ tenantId: 'acme', horizonMinutes: 60, force: true, activate: false });
    // `--tenat acme` used to train a global model silently.
    expect(() => parseTrainRiskArgs(['--tenat', 'acme'])).toThrow(/Unknown option '--tenat'/);
    expect(() => parseTrainRiskArgs(['acme'])).toThrow(/positional/);
    expect(() => parseTrainRiskArgs(['--horizon-minutes', 'ten'])).toThrow('positive number');
    expect(() => parseTrainRiskArgs(['--tenant', 'a b'])).toThrow('tenant id');
  });
});
