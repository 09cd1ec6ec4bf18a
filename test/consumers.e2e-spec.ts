import type { INestApplication } from '@nestjs/common';
import { Consumers, consumerGroupOf, topicOf, type ServiceName } from '@jobstream/contracts';
import { KafkaEventTransport, type Subscription } from '@jobstream/messaging';
import { loadConfig } from '../libs/platform/src/config';
import { createLogger } from '../libs/platform/src/logger';
import { ListingsConfigSpec } from '../apps/listings/src/listings.config';
import { createListingsApp } from '../apps/listings/src/listings.app';
import { AnalyticsConfigSpec } from '../apps/analytics/src/analytics.config';
import { createAnalyticsApp } from '../apps/analytics/src/analytics.app';
import { NotifierConfigSpec } from '../apps/notifier/src/notifier.config';
import { createNotifierApp } from '../apps/notifier/src/notifier.app';
import { analyticsEnv, testEnv } from './support/apps';
import { engines, runId } from './support/engines';

/**
 * libs/contracts' Consumers table (read by the AsyncAPI `receive` operations and the broker ACLs)
 * must be exactly what the services' @OnEvents handlers register on their event transport. Each
 * consuming app is built as it runs (its real module, the transport connected), without consuming.
 */
const apps: Record<'listings' | 'analytics' | 'notifier', () => Promise<INestApplication>> = {
  listings: () =>
    createListingsApp(
      loadConfig(ListingsConfigSpec, testEnv({ MONGO_URL: `${engines.mongoBase}/e2e_${runId}_consumers`, KAFKA_GROUP_ID: `listings-e2e-${runId}-consumers` })),
      createLogger('listings', 'warn'),
    ),
  analytics: () => createAnalyticsApp(loadConfig(AnalyticsConfigSpec, analyticsEnv('consumers')), createLogger('analytics', 'warn')),
  notifier: () =>
    createNotifierApp(loadConfig(NotifierConfigSpec, testEnv({ KAFKA_GROUP_ID: `notifier-e2e-${runId}-consumers`, NOTIFIER_QUEUE_PREFIX: `e2e-${runId}-consumers` })), createLogger('notifier', 'warn')),
};

/** Rows in one order, events in the catalog's order, so the comparison ignores only layout. */
function normalized(rows: readonly Subscription[]): Subscription[] {
  return rows
    .map((r) => ({ ...(r.group ? { group: r.group } : {}), topic: r.topic, events: [...r.events].sort((a, b) => topicOf(a).events.indexOf(a) - topicOf(b).events.indexOf(b)) }))
    .sort((a, b) => (a.group ?? '').localeCompare(b.group ?? '') || a.topic.localeCompare(b.topic));
}

describe('the Consumers table is what the services register', () => {
  it.each(Object.keys(apps) as (keyof typeof apps)[])('%s', async (service) => {
    const app = await apps[service]();
    try {
      const transport = app.get(KafkaEventTransport);
      const registered = transport.subscriptions();
      const table = Consumers.filter((c) => c.service === (service as ServiceName));
      expect(registered.length).toBeGreaterThan(0);
      expect(normalized(registered)).toEqual(normalized(table.map((c) => ({ ...(c.group ? { group: c.group } : {}), topic: c.topic, events: [...c.events] }))));
      // Each row names a real consumer group of the service (a projection may add its build to the suffix).
      for (const row of table) expect(transport.groupIdOf(row.group ?? '')).toMatch(new RegExp(`^${consumerGroupOf(row, transport.groupIdOf('')).replace(/[.]/g, '\\.')}(-|$)`));
    } finally {
      await app.close();
    }
  });

  it('names no service that consumes nothing', () => {
    expect(new Set(Consumers.map((c) => c.service))).toEqual(new Set(Object.keys(apps)));
  });
});
