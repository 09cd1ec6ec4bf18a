import { Catch, UseFilters, type RpcExceptionFilter } from '@nestjs/common';
import { BaseRpcContext, EventPattern } from '@nestjs/microservices';
import { throwError, type Observable } from 'rxjs';
import type { EventEnvelope, EventType } from '@jobstream/contracts';
import type { ConsumedEvent } from './batch-processor';

/** One event of any of the types `T`, narrowed by `event.type` (a union of envelopes, not an envelope of a union). */
export type EventOf<T extends EventType> = { [K in T]: EventEnvelope<K> }[T];

/** What a handler declared with `@OnEvents(types)` receives: its events of one slice, in partition order. */
export type EventBatch<T extends EventType = EventType> = ConsumedEvent<EventOf<T>>[];

/**
 * What a handler gets with `@Ctx()`: the consumer group and topic of its batch. (Nest hands a
 * handler without parameter decorators only the batch.)
 */
export class EventsContext extends BaseRpcContext<[groupId: string, topic: string]> {
  get groupId(): string {
    return this.args[0];
  }
  get topic(): string {
    return this.args[1];
  }
}

/** Keys of the `@EventPattern` extras the event transports read. */
export const EventExtras = {
  /** The projection ('' for the service's own group). */
  group: 'jobstreamGroup',
  /** One id per decorated method: its patterns are one handler, so a run of its types stays one call. */
  route: 'jobstreamRoute',
} as const;

/**
 * Nest's default RPC exception filter replaces any error by `{ status: 'error', message: 'Internal
 * server error' }`; the transports must see the original to tell a transient outage (retried until
 * it passes) from a poison event (split off and dead-lettered).
 */
@Catch()
export class RethrowToTransport implements RpcExceptionFilter<unknown> {
  catch(exception: unknown): Observable<never> {
    return throwError(() => exception);
  }
}

const rethrow = new RethrowToTransport();
let routes = 0;

export interface OnEventsOptions {
  /**
   * Set for a second projection of the same events in the same service: its handlers run in their
   * own consumer group `<KAFKA_GROUP_ID>-<group>` (own offsets, own dlq.<group>), so one projection
   * falling behind or being rebuilt never holds the other back.
   */
  group?: string;
}

/**
 * Marks a controller method as the batch handler of these event types for this service's consumer
 * group (or for its `group` projection). Within a slice of one partition the method receives its
 * events as consecutive runs in partition order; it must be idempotent and resolve only once their
 * effects are durable. The parameter is typed by the contract: a method that takes events of
 * another type doesn't compile.
 */
export function OnEvents<T extends EventType>(types: readonly T[], options: OnEventsOptions = {}) {
  return <M extends (batch: EventBatch<T>, context: EventsContext) => Promise<void>>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<M>): void => {
    const route = `${(target.constructor as { name?: string }).name ?? 'handler'}.${String(key)}#${++routes}`;
    EventPattern([...types], { [EventExtras.group]: options.group ?? '', [EventExtras.route]: route })(target, key, descriptor);
    UseFilters(rethrow)(target, key, descriptor);
  };
}
