import { Writable } from 'node:stream';
import { createLogger } from '../../../infra/observability/logger';
import {
  createOutageReporter,
  createPassOutages,
} from '../../../infra/observability/outageReporter';
import { DependencyUnavailableError } from '../../../infra/dependencies/dependencyUnavailable';

const capture = () => {
  const lines: { level: string; msg: string; dependency?: string }[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as (typeof lines)[number]);
      done();
    },
  });
  return { lines, logger: createLogger('info', sink) };
};

describe('outage reporter', () => {
  it('warns once when a dependency goes, reminds every 30 s, and says when it is back', () => {
    const { lines, logger } = capture();
    let now = 0;
    const reporter = createOutageReporter(logger, 'kafka', 30_000, () => now);
    reporter.succeeded();
    for (now = 0; now <= 65_000; now += 100) reporter.failed('Connection error: ECONNREFUSED');
    reporter.succeeded();
    reporter.succeeded();
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      ['warn', 'kafka unreachable'],
      ['warn', 'kafka still unreachable'],
      ['warn', 'kafka still unreachable'],
      ['info', 'kafka reachable again'],
    ]);
  });

  it('sends an outage of a named dependency to its reporter and logs any other failure as an error', () => {
    const { lines, logger } = capture();
    const outages = createPassOutages(logger);
    const down = new DependencyUnavailableError('postgresql', 'ECONNREFUSED');
    outages.failed(down, 'pass failed');
    outages.failed(down, 'pass failed');
    outages.failed(new TypeError('a bug'), 'pass failed');
    outages.passed();
    expect(lines.map((l) => [l.level, l.msg, l.dependency])).toEqual([
      ['warn', 'postgresql unreachable', 'postgresql'],
      ['error', 'pass failed', undefined],
      ['info', 'postgresql reachable again', 'postgresql'],
    ]);
  });
});
