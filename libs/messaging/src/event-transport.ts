import { Server, type CustomTransportStrategy } from '@nestjs/microservices';
import { routesOf, subscriptionsOf, type EventRoute, type Subscription } from './event-routing';
import { EventsContext } from './on-events.decorator';

/**
 * What the Kafka and the in-memory transports share: the routes of the registered `@OnEvents`
 * handlers, each bound to its consumer group, and what they subscribe to. Subclasses name the
 * groups and deliver the events.
 */
export abstract class EventTransport extends Server implements CustomTransportStrategy {
  private routes?: EventRoute[];

  /** The consumer group of a projection ('' is the service's own group). */
  abstract groupIdOf(projection: string): string;

  protected registered(): EventRoute[] {
    this.routes ??= routesOf(this.messageHandlers, (route, topic) => new EventsContext([this.groupIdOf(route.group), topic]));
    return this.routes;
  }

  /** What this service consumes, as registered by its handlers: the rows of `Consumers` for it. */
  subscriptions(): Subscription[] {
    return subscriptionsOf(this.registered());
  }

  /** Nest 11's Server asks transports for status events; consumers report through logs and metrics. */
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- Nest's own signature
  on<EventKey extends string = string, EventCallback extends Function = Function>(_event: EventKey, _callback: EventCallback): void {
    // nothing to subscribe to
  }
}
