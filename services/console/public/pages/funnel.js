// Funnel: stages as bars with counts, conversion and drop-off, sessions still in progress apart,
// time in step, a split by cohort, the recommendations with their evidence, and this period
// against the previous one with its significance.
import { get } from '../app/api.js';
import { barChart } from '../app/charts.js';
import { formatNumber, h, table, tile } from '../app/dom.js';
import { empty, section } from '../app/states.js';
import { field, flowSelect, periodInputs, periodParams, select } from './controls.js';
import { evidenceTable } from './evidence.js';

const cohortKeys = [
  ['', 'no split'],
  ['channel', 'channel'],
  ['language', 'language'],
  ['client', 'client'],
  ['flow', 'flow'],
  ['start_week', 'start week'],
];

/**
 * Per stage: sessions whose furthest stage it is, split as the API splits them — those that
 * ended there (`drop_off_count`: cancelled or abandoned) and those still running (`in_progress`).
 */
const notFurther = (funnel) =>
  funnel.stages.slice(0, -1).map((s) => ({
    stage: s.stage,
    notFurther: s.drop_off_count + s.in_progress,
    dropped: s.drop_off_count,
    going: s.in_progress,
  }));

const showFunnel = (f) => {
  if (f.total_sessions === 0) return empty('No sessions started in this period for this flow.');
  const labels = f.stages.map((s) => s.stage);
  return h(
    'div',
    { 'data-section': 'funnel' },
    h(
      'div',
      { class: 'tiles' },
      tile('Sessions', f.total_sessions, 'total_sessions'),
      tile('Completed', f.completed_sessions, 'completed_sessions'),
      tile('Conversion %', f.overall_conversion_rate, 'overall_conversion_rate'),
      tile('In progress', f.in_progress_sessions, 'in_progress_sessions'),
      tile(
        'Median completion (min)',
        f.median_completion_time_minutes,
        'median_completion_time_minutes',
      ),
    ),
    barChart(
      `Funnel: sessions per stage, ${labels.map((l, i) => `${l} ${f.stages[i].count}`).join(', ')}`,
      labels,
      [{ label: 'Sessions reaching the stage', data: f.stages.map((s) => s.count) }],
    ),
    h('h2', {}, 'Stages'),
    table(
      'Funnel stages',
      [
        'Stage',
        'Sessions',
        'Conversion from start %',
        'Step conversion %',
        'Drop-off',
        'Drop-off %',
        'Median time in step (s)',
        'p90 time in step (s)',
        'Errors',
      ],
      f.stages.map((s) => [
        s.stage,
        { num: s.count, attrs: { 'data-stage-count': s.stage } },
        { num: s.conversion_rate },
        { num: s.step_conversion_rate },
        { num: s.drop_off_count, attrs: { 'data-stage-drop': s.stage } },
        { num: s.drop_off_rate },
        { num: s.median_time_in_stage_seconds },
        { num: s.p90_time_in_stage_seconds },
        { num: s.errors },
      ]),
    ),
    h('h2', {}, 'Not further yet: dropped or still in progress'),
    h(
      'p',
      {},
      'A session is dropped once it was cancelled or abandoned (idle for longer than the inactivity limit); a running session is in progress, however long it has been idle, and never a drop-off.',
    ),
    table(
      'Dropped and in progress per stage',
      ['Stage', 'Not further', 'Dropped', 'Still in progress'],
      notFurther(f).map((r) => [
        r.stage,
        { num: r.notFurther },
        { num: r.dropped },
        { num: r.going, attrs: { 'data-in-progress': r.stage } },
      ]),
    ),
  );
};

const showRecommendations = (r) =>
  r.recommendations.length === 0
    ? empty('No recommendation: nothing in this period stands out with enough data behind it.')
    : h(
        'ol',
        { 'data-section': 'recommendations' },
        r.recommendations.map((rec) =>
          h(
            'li',
            {},
            h(
              'p',
              {},
              h(
                'strong',
                {},
                `${rec.type} · ${rec.stage} · confidence ${formatNumber(rec.confidence)}: `,
              ),
              rec.message,
            ),
            evidenceTable(rec.evidence),
          ),
        ),
      );

const showCohorts = (c) =>
  c.cohorts.length === 0
    ? empty('No sessions to split in this period.')
    : table(
        `Conversion by ${c.cohort_by}`,
        [c.cohort_by, 'Sessions', 'Completed', 'Conversion %'],
        c.cohorts.map((x) => [
          String(x.cohort),
          { num: x.sessions },
          { num: x.completed },
          { num: x.conversion_rate },
        ]),
      );

const showComparison = (c) => {
  const p = (x) => [
    `${x.start_date ?? ''} → ${x.end_date ?? ''}`,
    { num: x.sessions },
    { num: x.completed },
    { num: x.conversion_rate },
  ];
  const s = c.significance;
  return h(
    'div',
    { 'data-section': 'comparison' },
    table(
      'This period against the previous one',
      ['Period', 'Sessions', 'Completed', 'Conversion rate'],
      [
        ['current: ' + p(c.current_period)[0], ...p(c.current_period).slice(1)],
        ['previous: ' + p(c.previous_period)[0], ...p(c.previous_period).slice(1)],
      ],
    ),
    h(
      'p',
      { 'data-figure': 'trend' },
      `Trend: ${c.trend}. ${s.test}: z = ${formatNumber(s.z)}, p = ${formatNumber(s.p_value)}, ${s.is_significant ? 'significant' : 'not significant'} at ${formatNumber(s.confidence_level)}.`,
    ),
  );
};

export const render = (root) => {
  const period = periodInputs();
  const cohort = select('cohort', cohortKeys, '');
  const compareDays = select(
    'compare',
    [
      ['7', '7 days'],
      ['30', '30 days'],
      ['90', '90 days'],
    ],
    '7',
  );
  const out = { funnel: h('div'), recs: h('div'), cohorts: h('div'), comparison: h('div') };
  const flow = flowSelect();
  const load = () => {
    const scope = { flow_id: flow.value, ...periodParams(period) };
    void section(out.funnel, () => get('/analytics/funnel/', scope), showFunnel);
    void section(
      out.recs,
      () => get('/analytics/recommendations/', { ...scope, min_confidence: 0 }),
      showRecommendations,
    );
    if (cohort.value === '')
      out.cohorts.replaceChildren(empty('Pick a cohort key to split the sessions.'));
    else
      void section(
        out.cohorts,
        () => get('/analytics/cohort-comparison/', { ...scope, cohort_by: cohort.value }),
        showCohorts,
      );
    void section(
      out.comparison,
      () =>
        get('/analytics/comparison/', {
          flow_id: flow.value,
          end_date: scope.end_date,
          period_days: compareDays.value,
        }),
      showComparison,
    );
  };
  const form = h(
    'form',
    {
      class: 'controls',
      onsubmit: (e) => {
        e.preventDefault();
        load();
      },
    },
    field('Flow', flow),
    field('From', period.from),
    field('To (included)', period.to),
    field('Split by', cohort),
    field('Compare periods of', compareDays),
    h('button', { type: 'submit' }, 'Show'),
  );
  root.append(
    h('h1', {}, 'Funnel'),
    form,
    out.funnel,
    h('h2', {}, 'Recommendations'),
    out.recs,
    h('h2', {}, 'Split by cohort'),
    out.cohorts,
    h('h2', {}, 'Period comparison'),
    out.comparison,
  );
  load();
};
