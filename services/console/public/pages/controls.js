// Form controls shared by the analytics pages: the flow and the period (inclusive UTC days).
import { get } from '../app/api.js';
import { addDays, h, isoDay } from '../app/dom.js';

/** A labelled control; `id` is unique on the page. */
export const field = (label, control) => h('label', { for: control.id }, label, control);

export const select = (id, options, value) =>
  h(
    'select',
    { id, name: id },
    options.map(([v, text]) => h('option', { value: v, selected: v === value }, text)),
  );

/** The period inputs: from and to (both days included), by default the last 30 days. */
export const periodInputs = () => {
  const today = isoDay(new Date());
  return {
    from: h('input', {
      id: 'from',
      name: 'from',
      type: 'date',
      value: addDays(today, -29),
      required: true,
    }),
    to: h('input', { id: 'to', name: 'to', type: 'date', value: today, required: true }),
  };
};

/** The API's period: start_date = from, end_date = the day after `to` (the API's end is exclusive). */
export const periodParams = ({ from, to }) => ({
  start_date: from.value,
  end_date: addDays(to.value, 1),
});

/**
 * The flow picker: `default` plus every flow with sessions in the last year (the API's cohort
 * comparison by flow is the one place that lists them).
 */
export const flowSelect = (onReady) => {
  const el = select('flow', [['default', 'default']], 'default');
  const today = isoDay(new Date());
  get('/analytics/cohort-comparison/', {
    cohort_by: 'flow',
    start_date: addDays(today, -364),
    end_date: addDays(today, 1),
  })
    .then((r) => {
      const flows = new Set(['default', ...(r?.cohorts ?? []).map((c) => String(c.cohort))]);
      el.replaceChildren(
        ...[...flows].map((f) => h('option', { value: f, selected: f === 'default' }, f)),
      );
    })
    .catch(() => {})
    .finally(() => onReady?.());
  return el;
};
