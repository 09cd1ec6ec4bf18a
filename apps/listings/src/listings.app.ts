import type { INestApplication } from '@nestjs/common';
import { createApp, runApp, type Logger } from '@jobstream/platform';
import type { ListingsConfig } from './listings.config';
import { ListingsModule } from './listings.module';

const options = (config: ListingsConfig, logger?: Logger) => ({
  service: 'listings',
  config,
  logger,
  module: (c: ListingsConfig, l: Logger) => ListingsModule.forRoot(c, l),
});

export const createListingsApp = (config: ListingsConfig, logger?: Logger): Promise<INestApplication> => createApp(options(config, logger));
export const runListingsApp = (config: ListingsConfig): Promise<INestApplication> => runApp(options(config));
