import type { MessageHandler } from '@nestjs/microservices';
import { isObservable, lastValueFrom } from 'rxjs';
import { isEventType, topicOf, type EventType, type TopicName } from '@jobstream/contracts';
import type { BatchHandler, ConsumedEvent } from './batch-processor';
import { EventExtras } from './on-events.decorator';

/** One registered handler method: the event types it takes, in which projection. */
export interface EventRoute {
  /** The projection ('' for the service's own group). */
  group: string;
  /** Identifies the method (class, name), for errors and the registry. */
  id: string;
  events: EventType[];
  handle: BatchHandler;
}

/** One row of what a service consumes: the shape of `Consumers` in libs/contracts. */
export interface Subscription {
  group?: string;
  topic: TopicName;
  events: EventType[];
}

/**
 * Reads Nest's registered event handlers (pattern = event type) into routes. Nest chains the
 * handlers of one pattern and calls the whole chain from its head; the chain is cut here, since
 * handlers of one pattern in different projections run in different consumer groups.
 */
export function routesOf(messageHandlers: Map<string, MessageHandler>, context: (route: EventRoute, topic: string) => unknown): EventRoute[] {
  const byId = new Map<string, EventRoute>();
  for (const [pattern, head] of messageHandlers) {
    const chain: MessageHandler[] = [];
    for (let h: MessageHandler | undefined = head; h; h = h.next) chain.push(h);
    for (const h of chain) h.next = undefined;
    if (!isEventType(pattern)) throw new Error(`"${pattern}" is not an event type of the contract`);
    for (const handler of chain) {
      if (!handler.isEventHandler) throw new Error(`"${pattern}" has a request handler (@MessagePattern); events have no reply`);
      const extras = (handler.extras ?? {}) as Record<string, unknown>;
      const group = typeof extras[EventExtras.group] === 'string' ? (extras[EventExtras.group] as string) : '';
      const id = typeof extras[EventExtras.route] === 'string' ? (extras[EventExtras.route] as string) : `${pattern}@${group}`;
      let route = byId.get(id);
      if (!route) {
        const created: EventRoute = { group, id, events: [], handle: (batch) => invoke(handler, batch, context(created, batch[0]?.topic ?? '')) };
        route = created;
        byId.set(id, route);
      }
      route.events.push(pattern);
    }
  }
  const routes = [...byId.values()];
  const owner = new Map<string, string>();
  for (const route of routes) {
    for (const type of route.events) {
      const key = `${route.group}/${type}`;
      const other = owner.get(key);
      if (other) throw new Error(`two handlers of "${type}"${route.group ? ` in projection ${route.group}` : ''}: ${other} and ${route.id}`);
      owner.set(key, route.id);
    }
  }
  return routes;
}

/** Calls a Nest handler; its error arrives as an erroring Observable (see RethrowToTransport). */
async function invoke(handler: MessageHandler, batch: ConsumedEvent[], context: unknown): Promise<void> {
  const result: unknown = await handler(batch, context);
  if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
}

/**
 * The batch handler of each topic of each projection. Within a slice, each route gets its events
 * as consecutive runs in partition order, one run after the other (never two at once, never
 * reordered); events of a type no route of the projection takes are acknowledged and skipped.
 */
export function dispatchersOf(routes: readonly EventRoute[]): Map<string, Map<TopicName, BatchHandler>> {
  const byGroup = new Map<string, Map<TopicName, Map<EventType, EventRoute>>>();
  for (const route of routes) {
    const topics = byGroup.get(route.group) ?? new Map<TopicName, Map<EventType, EventRoute>>();
    byGroup.set(route.group, topics);
    for (const type of route.events) {
      const topic = topicOf(type).name;
      const types = topics.get(topic) ?? new Map<EventType, EventRoute>();
      topics.set(topic, types);
      types.set(type, route);
    }
  }
  const result = new Map<string, Map<TopicName, BatchHandler>>();
  for (const [group, topics] of byGroup) {
    result.set(group, new Map([...topics].map(([topic, types]) => [topic, dispatch(types)] as const)));
  }
  return result;
}

function dispatch(types: ReadonlyMap<EventType, EventRoute>): BatchHandler {
  return async (events) => {
    let current: EventRoute | undefined;
    let run: ConsumedEvent[] = [];
    for (const consumed of events) {
      const route = types.get(consumed.event.type);
      if (!route) continue;
      if (current && route !== current) {
        await current.handle(run);
        run = [];
      }
      current = route;
      run.push(consumed);
    }
    if (current && run.length > 0) await current.handle(run);
  };
}

/** What the routes consume, one row per (projection, topic), in the catalog's event order. */
export function subscriptionsOf(routes: readonly EventRoute[]): Subscription[] {
  const rows = new Map<string, Subscription>();
  for (const route of routes) {
    for (const type of route.events) {
      const topic = topicOf(type);
      const key = `${route.group}/${topic.name}`;
      const row = rows.get(key) ?? { ...(route.group ? { group: route.group } : {}), topic: topic.name, events: [] };
      rows.set(key, row);
      row.events.push(type);
    }
  }
  for (const row of rows.values()) {
    const order = topicOf(row.events[0]).events;
    row.events.sort((a, b) => order.indexOf(a) - order.indexOf(b));
  }
  return [...rows.values()].sort((a, b) => (a.group ?? '').localeCompare(b.group ?? '') || a.topic.localeCompare(b.topic));
}
