import type { INestApplication } from '@nestjs/common';
import { connectEventTransport } from '@jobstream/messaging/messaging.module';
import { createApp, runApp, type Logger } from '@jobstream/platform';
import type { AnalyticsConfig } from './analytics.config';
import { AnalyticsModule } from './analytics.module';

const options = (config: AnalyticsConfig, logger?: Logger) => ({
  service: 'analytics',
  config,
  logger,
  module: (c: AnalyticsConfig, l: Logger) => AnalyticsModule.forRoot(c, l),
  connect: connectEventTransport,
});

export const createAnalyticsApp = (config: AnalyticsConfig, logger?: Logger): Promise<INestApplication> => createApp(options(config, logger));
export const runAnalyticsApp = (config: AnalyticsConfig): Promise<INestApplication> => runApp(options(config));
