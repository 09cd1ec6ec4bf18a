import type { INestApplication } from '@nestjs/common';
import { connectEventTransport } from '@jobstream/messaging/messaging.module';
import { ServiceUnavailableException, createApp, runApp, type Logger } from '@jobstream/platform';
import { SearchUnavailableError } from './search/opensearch.gateway';
import type { ListingsConfig } from './listings.config';
import { ListingsModule } from './listings.module';

const options = (config: ListingsConfig, logger?: Logger) => ({
  service: 'listings',
  config,
  logger,
  module: (c: ListingsConfig, l: Logger) => ListingsModule.forRoot(c, l),
  connect: connectEventTransport,
  // The engine down or shedding load: the search may be retried as is.
  mapError: (err: unknown) => (err instanceof SearchUnavailableError ? new ServiceUnavailableException('Search is temporarily unavailable', 2) : undefined),
});

export const createListingsApp = (config: ListingsConfig, logger?: Logger): Promise<INestApplication> => createApp(options(config, logger));
export const runListingsApp = (config: ListingsConfig): Promise<INestApplication> => runApp(options(config));
