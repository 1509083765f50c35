// Drop-off heatmap (time bucket × stage where sessions dropped) and cohort trends (a line chart).
import { get } from '../app/api.js';
import { lineChart } from '../app/charts.js';
import { h } from '../app/dom.js';
import { empty, section } from '../app/states.js';
import { field, flowSelect, periodInputs, periodParams, select } from './controls.js';

/** Six shades by share of the largest cell; classes, because the CSP forbids inline styles. */
const shade = (value, max) =>
  value === 0 || max === 0 ? 0 : Math.max(1, Math.ceil((5 * value) / max));

const showHeatmap = (r) => {
  const max = Math.max(0, ...r.matrix.flat());
  if (r.buckets.length === 0 || max === 0) return empty('No dropped sessions in this period.');
  return h(
    'table',
    { 'data-section': 'heatmap' },
    h('caption', {}, `Dropped sessions by ${r.granularity} bucket (UTC) and stage`),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, 'Bucket'),
        r.stages.map((s) => h('th', { scope: 'col' }, s)),
      ),
    ),
    h(
      'tbody',
      {},
      r.buckets.map((b, i) =>
        h(
          'tr',
          {},
          h('th', { scope: 'row' }, String(b)),
          r.matrix[i].map((v) => h('td', { class: `num heat-${shade(v, max)}` }, String(v))),
        ),
      ),
    ),
  );
};

const showTrends = (r) => {
  if (r.cohorts.length === 0) return empty('No cohorts in this period.');
  const labels = r.cohorts.map((c) => c.cohort_label);
  return h(
    'div',
    { 'data-section': 'cohort-trends' },
    lineChart(`Cohort trends: conversion and sessions per ${r.cohort_type} cohort`, labels, [
      { label: 'Conversion rate', data: r.cohorts.map((c) => c.conversion_rate) },
      { label: 'Sessions', data: r.cohorts.map((c) => c.total_sessions), axis: 'right' },
    ]),
    h(
      'p',
      {},
      `Trends: ${Object.entries(r.trends ?? {})
        .map(([k, v]) => `${k} ${typeof v === 'object' ? JSON.stringify(v) : v}`)
        .join('; ')}`,
    ),
  );
};

export const render = (root) => {
  const period = periodInputs();
  const flow = flowSelect();
  const granularity = select(
    'granularity',
    [
      ['hourly', 'hourly'],
      ['daily', 'daily'],
      ['weekly', 'weekly'],
    ],
    'daily',
  );
  const cohortType = select(
    'cohort-type',
    [
      ['daily', 'daily'],
      ['weekly', 'weekly'],
      ['monthly', 'monthly'],
    ],
    'weekly',
  );
  const heat = h('div');
  const trends = h('div');
  const load = () => {
    const scope = { flow_id: flow.value, ...periodParams(period) };
    void section(
      heat,
      () => get('/analytics/drop-off-heatmap/', { ...scope, granularity: granularity.value }),
      showHeatmap,
    );
    void section(
      trends,
      () => get('/dashboard/cohort-trends/', { ...scope, cohort_type: cohortType.value }),
      showTrends,
    );
  };
  root.append(
    h('h1', {}, 'Drop-off heatmap and cohort trends'),
    h(
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
      field('Heatmap buckets', granularity),
      field('Cohorts', cohortType),
      h('button', { type: 'submit' }, 'Show'),
    ),
    h('h2', {}, 'Drop-off heatmap'),
    heat,
    h('h2', {}, 'Cohort trends'),
    trends,
  );
  load();
};
