import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { percentile } from './report';

export type LoopReport = Readonly<{
  /** Event-loop delay: how late timers ran (a request's reply waits at least that long). */
  loopDelayP50Ms: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  /** GC pauses (every kind) during the window. */
  gcCount: number;
  gcTotalMs: number;
  gcP99Ms: number;
  gcMaxMs: number;
}>;

/**
 * Watches this process's event loop (perf_hooks.monitorEventLoopDelay, 1 ms resolution) and its
 * GC pauses (PerformanceObserver 'gc') from now until stop(): what a client's tail latency in
 * Node is made of besides the server's answer.
 */
export const startLoopMonitor = () => {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  const pauses: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) pauses.push(entry.duration);
  });
  observer.observe({ entryTypes: ['gc'] });
  histogram.enable();
  return {
    stop: (): LoopReport => {
      histogram.disable();
      observer.disconnect();
      const ms = (ns: number) => ns / 1e6;
      return {
        loopDelayP50Ms: ms(histogram.percentile(50)),
        loopDelayP99Ms: ms(histogram.percentile(99)),
        loopDelayMaxMs: ms(histogram.max),
        gcCount: pauses.length,
        gcTotalMs: pauses.reduce((a, b) => a + b, 0),
        gcP99Ms: pauses.length === 0 ? 0 : percentile(pauses, 99),
        gcMaxMs: pauses.length === 0 ? 0 : Math.max(...pauses),
      };
    },
  };
};

/** One line for the console. */
export const describeLoop = (r: LoopReport): string =>
  `event-loop delay p50 ${r.loopDelayP50Ms.toFixed(2)} ms, p99 ${r.loopDelayP99Ms.toFixed(2)} ms, max ${r.loopDelayMaxMs.toFixed(2)} ms; GC ${r.gcCount} pauses, ${r.gcTotalMs.toFixed(1)} ms in all, p99 ${r.gcP99Ms.toFixed(2)} ms, max ${r.gcMaxMs.toFixed(2)} ms`;
