import { fixIdleRequestQueueTimer, type RequestQueueClass } from './kafkajs-request-queue.fix';

interface Queue {
  pending: unknown[];
  inflight: Map<number, unknown>;
  throttledUntil: number;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
  push(request: Record<string, unknown>): void;
  destroy(): void;
}
type QueueClass = RequestQueueClass & (new (options: Record<string, unknown>) => Queue);

// kafkajs' own class: the fix is worth only what it does to kafkajs' code. This file never fixes
// the class itself (each spec file has its own modules), only a subclass of it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Released = require('kafkajs/src/network/requestQueue') as QueueClass;
class Fixed extends Released {}
fixIdleRequestQueueTimer(Fixed);

const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const options = { maxInFlightRequests: 1, requestTimeout: 30_000, enforceRequestTimeout: false, clientId: 'spec', broker: 'localhost:9092', logger };

/** What a connection pushes: the queue calls sendRequest when the request may go out. */
function request(correlationId: number, sent: number[]): Record<string, unknown> {
  return { entry: { correlationId, apiKey: 1, apiName: 'Fetch', apiVersion: 11 }, expectResponse: true, requestTimeout: 30_000, sendRequest: () => sent.push(correlationId) };
}

describe('fixIdleRequestQueueTimer (kafkajs 2.2.4)', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('is needed: as released, an idle queue checks itself every millisecond (remove the fix once this fails)', () => {
    const q = new Released(options);
    const check = jest.spyOn(q, 'checkPendingRequests');
    q.checkPendingRequests(); // what every answer from the broker does
    jest.advanceTimersByTime(100);
    expect(check.mock.calls.length).toBeGreaterThan(50);
    q.destroy();
  });

  it('leaves an idle queue without a timer', () => {
    const q = new Fixed(options);
    const check = jest.spyOn(q, 'checkPendingRequests');
    q.checkPendingRequests();
    expect(jest.getTimerCount()).toBe(0);
    jest.advanceTimersByTime(100);
    expect(check).toHaveBeenCalledTimes(1);
    q.destroy();
  });

  it('still sends a request that waited for the one in flight, once that one is answered', () => {
    const q = new Fixed(options);
    const sent: number[] = [];
    q.push(request(1, sent));
    q.push(request(2, sent));
    expect(sent).toEqual([1]);
    expect(q.pending).toHaveLength(1);
    q.inflight.delete(1); // the answer to 1 (fulfillRequest) frees the slot, then checks the queue
    q.checkPendingRequests();
    expect(sent).toEqual([1, 2]);
    q.destroy();
  });

  it('still sends a request held back by a broker throttle when the throttle ends', () => {
    const q = new Fixed(options);
    const sent: number[] = [];
    q.throttledUntil = Date.now() + 500;
    q.push(request(1, sent));
    jest.advanceTimersByTime(499);
    expect(sent).toEqual([]);
    jest.advanceTimersByTime(20);
    expect(sent).toEqual([1]);
    q.destroy();
  });

  it('fixes a class once', () => {
    const before = Fixed.prototype.scheduleCheckPendingRequests;
    fixIdleRequestQueueTimer(Fixed);
    expect(Fixed.prototype.scheduleCheckPendingRequests).toBe(before);
  });
});
