import { runFaultSuite } from '../support/faultSuite';
import { report } from './lib/report';

/**
 * R1 at full size: the fault suite of test/integration/faultSuite.int.test.ts with 100,000
 * events (BENCH_FAULT_SESSIONS sessions × 10 events, default 10,000), the load running to its
 * bound while the six faults happen at its start. Prints the figures and the shares last.
 */
const sessions = Number(process.env.BENCH_FAULT_SESSIONS ?? 10_000);

const main = async () => {
  const started = Date.now();
  const f = await runFaultSuite({
    sessions,
    eventsPerSession: 10,
    workers: Number(process.env.BENCH_FAULT_WORKERS ?? 16),
    pauseMs: 0,
    stopAfterFaults: false,
    relayBatch: 500,
  });
  const seconds = (Date.now() - started) / 1000;
  console.log(JSON.stringify(f, null, 2));
  console.log(
    `R1: ${f.storedEvents} events stored, ${f.acknowledged} acknowledged, ${f.acknowledgedMissing} acknowledged missing, ` +
      `${f.eventsMissingInKafka} missing in Kafka, ${f.kafkaDuplicates} Kafka duplicates, ` +
      `${f.readModelMismatchCount} read-model mismatches, lag ${f.projectorLag}, ` +
      `5xx outside faults ${f.fiveXxOutsideFaults} (inside ${f.fiveXxInsideFaults}), ${seconds.toFixed(0)} s`,
  );
  report(
    'faults',
    { ...f, seconds },
    {
      'R1 acknowledged events missing from the store ÷ acknowledged': {
        value: f.acknowledgedMissing / Math.max(1, f.acknowledged),
        goal: '= 0',
      },
      'R1 stored events missing in Kafka ÷ stored': {
        value: f.eventsMissingInKafka / Math.max(1, f.storedEvents),
        goal: '= 0',
      },
      'R1 read-model sessions wrong ÷ sessions': {
        value: f.readModelMismatchCount / Math.max(1, f.sessions),
        goal: '= 0',
      },
      'R1 Kafka duplicates ÷ records': { value: f.duplicateShare, goal: '<= 0.001' },
    },
  );
};

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
