// Charts with Chart.js (its UMD build, served from node_modules, sets globalThis.Chart). Every
// chart is registered so the page that made it can destroy it when the user leaves.
import { h } from './dom.js';

const live = new Set();

export const destroyCharts = () => {
  for (const chart of live) chart.destroy();
  live.clear();
};

const palette = ['#0b5cad', '#c24e00', '#116329', '#8250df', '#a4000f', '#4a5360'];

/** A canvas in a sized box; `label` is what a screen reader hears instead of the drawing. */
const canvasFor = (label) => {
  const canvas = h('canvas', { role: 'img', 'aria-label': label });
  return { box: h('div', { class: 'chart' }, canvas), canvas };
};

const make = (label, config) => {
  const { box, canvas } = canvasFor(label);
  if (globalThis.Chart === undefined)
    return h('p', { class: 'state state-error' }, 'The chart library did not load.');
  const chart = new globalThis.Chart(canvas, {
    ...config,
    options: { responsive: true, maintainAspectRatio: false, animation: false, ...config.options },
  });
  live.add(chart);
  return box;
};

/** Bars: one dataset per series, e.g. { label: 'Sessions', data: [...] }. */
export const barChart = (label, labels, series) =>
  make(label, {
    type: 'bar',
    data: {
      labels,
      datasets: series.map((s, i) => ({ ...s, backgroundColor: palette[i % palette.length] })),
    },
    options: { scales: { y: { beginAtZero: true } } },
  });

/** Lines over labels; a series with `axis: 'right'` uses a second y axis. */
export const lineChart = (label, labels, series) =>
  make(label, {
    type: 'line',
    data: {
      labels,
      datasets: series.map((s, i) => ({
        label: s.label,
        data: s.data,
        yAxisID: s.axis === 'right' ? 'y1' : 'y',
        borderColor: palette[i % palette.length],
        backgroundColor: palette[i % palette.length],
        tension: 0.2,
      })),
    },
    options: {
      scales: {
        y: { beginAtZero: true, position: 'left' },
        y1: { beginAtZero: true, position: 'right', grid: { drawOnChartArea: false } },
      },
    },
  });
