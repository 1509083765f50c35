import {
  correctOutcome,
  faultResetMs,
  runLimiterFaultScenario,
  type FaultScenarioResult,
} from '../support/limiterFaultScenario';
import { percentile, report } from './lib/report';

/**
 * R2's latency figures (moved out of test/integration/limiterFaultsUnderLoad.int.test.ts, which
 * keeps the correctness checks): the same load on a private Redis, first healthy (the baseline),
 * then while it is paused, frozen and shut down. Reports the share of requests answered
 * correctly within 100 ms (goal >= 99.9 %), p99.9 against the healthy run's p99.9, and the time
 * back on Redis after each fault (goal: breaker reset + 1 s).
 */
const summary = (name: string, r: FaultScenarioResult) => {
  const ms = r.outcomes.map((o) => o.ms);
  const fast = r.outcomes.filter((o) => correctOutcome(o) && o.ms < 100).length;
  const s = {
    requests: r.outcomes.length,
    shareFastAndCorrect: fast / Math.max(1, r.outcomes.length),
    p50: percentile(ms, 50),
    p99: percentile(ms, 99),
    p999: percentile(ms, 99.9),
    recovery: r.recovery,
  };
  console.log(
    `${name}: ${s.requests} requests, ${(100 * s.shareFastAndCorrect).toFixed(2)} % correct within 100 ms, ` +
      `p50 ${s.p50.toFixed(1)} ms, p99 ${s.p99.toFixed(1)} ms, p99.9 ${s.p999.toFixed(1)} ms`,
  );
  return s;
};

const main = async () => {
  const healthy = summary(
    'healthy Redis (baseline)',
    await runLimiterFaultScenario({ faults: false, recoveryDeadlineMs: 30_000 }),
  );
  const faulted = summary(
    'Redis paused, frozen, shut down',
    await runLimiterFaultScenario({ faults: true, recoveryDeadlineMs: 30_000 }),
  );
  for (const [name, ms] of Object.entries(faulted.recovery))
    console.log(`back on Redis after ${name}: ${ms} ms (goal <= ${faultResetMs + 1_000} ms)`);
  const slowestRecovery = Math.max(...Object.values(faulted.recovery));
  report(
    'limiterFaults',
    { healthy, faulted },
    {
      'R2 share correct within 100 ms under faults': {
        value: faulted.shareFastAndCorrect,
        goal: '>= 0.999',
      },
      'R2 slowest recovery ÷ (breaker reset + 1 s)': {
        value: slowestRecovery / (faultResetMs + 1_000),
        goal: '<= 1',
      },
      'R2 p99.9 under faults ÷ healthy p99.9': {
        value: faulted.p999 / healthy.p999,
        goal: 'reported',
      },
    },
  );
};

void main();
