import { createMetrics } from '../../../infra/observability/metrics';
import { promtool } from '../../support/promtool';

describe('metric names follow Prometheus conventions', () => {
  it('promtool check metrics accepts the full registry, prom-client defaults included', async () => {
    const metrics = createMetrics();
    // Samples for the labelled metrics too: promtool only lints what it sees.
    metrics.dlqTaskFailures.inc({ task_name: 'projector', error_category: 'gap' });
    metrics.dlqTaskRetries.inc({ task_name: 'projector', trigger: 'admin', outcome: 'success' });
    metrics.dlqEvicted.inc({ status: 'resolved' });
    metrics.uploadRejections.inc({ reason: 'rate_limited' });
    metrics.checkpointsCreated.inc();
    metrics.rateLimiterCacheFailures.inc();
    metrics.rateLimiterFallbackHits.inc();
    metrics.abandonmentDetected.inc({ risk_level: 'low' });
    const body = await metrics.registry.metrics();
    const { code, output } = await promtool(['check', 'metrics'], body);
    expect(output).toBe('');
    expect(code).toBe(0);
  });

  it('every counter ends in _total and no gauge does', async () => {
    const all = await createMetrics().registry.getMetricsAsJSON();
    const wrong = all.filter(
      (m) =>
        (String(m.type) === 'counter') !== m.name.endsWith('_total') &&
        String(m.type) !== 'histogram',
    );
    expect(wrong.map((m) => `${m.name} (${m.type})`)).toEqual([]);
  });
});
