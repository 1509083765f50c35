import { createRequire } from 'node:module';

type RequestQueueLike = {
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  pending: unknown[];
  checkPendingRequests: () => void;
};

/**
 * kafkajs 2.2.4 (its last release) reschedules its request-queue check with
 * `setTimeout(fn, throttledUntil - Date.now())` even when nothing is pending and it is not
 * throttled: throttledUntil starts at -1, so the delay is about minus the epoch. Node ≥ 23 prints
 * a TimeoutNegativeWarning for it (on every relay and projector start) and clamps it to 1 ms, so
 * each connection also ran a 1 ms timer loop that checked an empty queue. The check only matters
 * when requests are pending (a new request or a finished one triggers it otherwise), so this
 * replaces that one method: nothing pending → nothing scheduled; pending → the same delay as
 * kafkajs, never below 0. Applied once, on import of infra/kafka/createKafka.ts (tests that
 * build a client of their own import this module).
 */
const CHECK_PENDING_REQUESTS_INTERVAL = 10;

const load = createRequire(require.resolve('kafkajs'));
const RequestQueue = load('./src/network/requestQueue') as {
  prototype: RequestQueueLike & { scheduleCheckPendingRequests: () => void };
};

RequestQueue.prototype.scheduleCheckPendingRequests = function (this: RequestQueueLike) {
  if (this.throttleCheckTimeoutId || this.pending.length === 0) return;
  const throttledFor = this.throttledUntil - Date.now();
  this.throttleCheckTimeoutId = setTimeout(
    () => {
      this.throttleCheckTimeoutId = null;
      this.checkPendingRequests();
    },
    throttledFor > 0 ? throttledFor : CHECK_PENDING_REQUESTS_INTERVAL,
  );
};

export const kafkajsTimerFixApplied = true;
