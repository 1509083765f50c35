import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createMetrics } from '../../../infra/observability/metrics';
import { monitoringDir, promtool, recordingRules } from '../../support/promtool';

const dashboardsDir = path.join(monitoringDir, 'grafana/dashboards');

type Panel = { title: string; targets?: { expr: string }[] };

/** PromQL words that are not metric names. */
const promqlWords = new Set(
  'sum min max avg count rate irate increase delta deriv histogram_quantile time by without on ignoring group_left group_right and or unless bool offset abs clamp_min clamp_max topk bottomk scalar vector'.split(
    ' ',
  ),
);

/** The metric names an expression reads: label matchers, groupings, strings and ranges removed. */
const metricNamesOf = (expr: string): string[] =>
  [
    ...expr
      .replace(/"[^"]*"/g, '')
      .replace(/\{[^}]*\}/g, '')
      .replace(/\b(by|without|on|ignoring)\s*\([^)]*\)/g, '')
      .replace(/\[[^\]]*\]/g, '')
      .matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g),
  ]
    .map((m) => m[0])
    .filter((w) => !promqlWords.has(w));

/** What the processes expose (histograms as their series) plus the recording rules. */
const exposed = async () => {
  const names = new Set<string>(['up']);
  for (const m of await createMetrics().registry.getMetricsAsJSON()) {
    if (String(m.type) === 'histogram')
      ['_bucket', '_count', '_sum'].forEach((s) => names.add(m.name + s));
    else names.add(m.name);
  }
  for (const r of readFileSync(recordingRules, 'utf8').matchAll(/record: (\S+)/g))
    names.add(r[1] ?? '');
  return names;
};

describe('Grafana dashboards', () => {
  const files = readdirSync(dashboardsDir).filter((f) => f.endsWith('.json'));

  it('every query uses only metric names the processes expose', async () => {
    const known = await exposed();
    expect(files.length).toBeGreaterThanOrEqual(2);
    const queries = files.flatMap((file) =>
      (
        JSON.parse(readFileSync(path.join(dashboardsDir, file), 'utf8')) as { panels: Panel[] }
      ).panels.flatMap((p) => (p.targets ?? []).map((t) => ({ at: `${file} "${p.title}"`, ...t }))),
    );
    expect(queries.length).toBeGreaterThan(20);
    const unknown = queries.flatMap(({ at, expr }) =>
      metricNamesOf(expr)
        .filter((name) => !known.has(name))
        .map((name) => `${at}: ${name}`),
    );
    expect(unknown).toEqual([]);
  });

  it('the name extraction finds what a query reads (and so can fail)', () => {
    expect(
      metricNamesOf(
        'histogram_quantile(0.95, sum by (endpoint, le) (rate(analytics_query_duration_seconds_bucket{job="a"}[5m]))) / dlq:retry_success_ratio:rate1h',
      ),
    ).toEqual(['analytics_query_duration_seconds_bucket', 'dlq:retry_success_ratio:rate1h']);
    expect(metricNamesOf('100 * min(session_recovery_success_rate)')).toEqual([
      'session_recovery_success_rate',
    ]);
  });

  it('every query parses as PromQL (promtool), and the example Prometheus config is valid', async () => {
    const exprs = files.flatMap((file) =>
      (
        JSON.parse(readFileSync(path.join(dashboardsDir, file), 'utf8')) as { panels: Panel[] }
      ).panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr)),
    );
    // A rule file of the queries: promtool check rules parses every expression.
    const rules = {
      groups: [{ name: 'dashboards', rules: exprs.map((expr, i) => ({ record: `q${i}`, expr })) }],
    };
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'waymark-dash-')), 'q.yml');
    writeFileSync(file, JSON.stringify(rules));
    const parsed = await promtool(['check', 'rules', file]);
    expect(parsed.output).toContain(`SUCCESS: ${exprs.length} rules found`);
    const config = await promtool(['check', 'config', path.join(monitoringDir, 'prometheus.yml')]);
    expect(config.code).toBe(0);
  });
});
