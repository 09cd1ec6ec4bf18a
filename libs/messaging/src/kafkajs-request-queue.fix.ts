/**
 * kafkajs 2.2.4, its last release, checks each connection's queue of waiting requests on a timer
 * that re-arms itself every millisecond even when nothing waits (tulios/kafkajs#1556 and #1704;
 * the fix proposed in PR #1667 was never released). Every open Kafka connection then wakes its
 * process about a thousand times a second: an idle listings spent 70-100 ms of CPU a second on it.
 *
 * With nothing waiting and no broker throttle to wait out there is nothing to check: a request
 * that has to wait is queued by `push`, which arms the check itself, and every answer checks the
 * queue again. Anything else goes to kafkajs' own scheduling, unchanged.
 */
interface RequestQueueInternals {
  pending: unknown[];
  throttledUntil: number;
  scheduleCheckPendingRequests(): void;
}

export interface RequestQueueClass {
  prototype: RequestQueueInternals;
}

const FIXED = Symbol.for('jobstream.kafkajs.idleRequestQueueTimer');

// kafkajs has no exports map, and its connections construct this very module.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const kafkajsRequestQueue = (): RequestQueueClass => require('kafkajs/src/network/requestQueue') as RequestQueueClass;

/** Stops the idle re-arming timer of every kafkajs connection in this process (idempotent). */
export function fixIdleRequestQueueTimer(queueClass: RequestQueueClass = kafkajsRequestQueue()): void {
  const proto = queueClass.prototype as RequestQueueInternals & { [FIXED]?: true };
  if (proto[FIXED]) return;
  const schedule = proto.scheduleCheckPendingRequests;
  if (typeof schedule !== 'function') throw new Error('kafkajs RequestQueue has no scheduleCheckPendingRequests: review kafkajs-request-queue.fix.ts for this kafkajs version');
  proto.scheduleCheckPendingRequests = function (this: RequestQueueInternals): void {
    if (this.pending.length === 0 && this.throttledUntil <= Date.now()) return;
    schedule.call(this);
  };
  proto[FIXED] = true;
}
