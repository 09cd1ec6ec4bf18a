import type { INestApplication } from '@nestjs/common';
import { connectEventTransport } from '@jobstream/messaging/messaging.module';
import { createApp, runApp, type Logger } from '@jobstream/platform';
import type { NotifierConfig } from './notifier.config';
import { NotifierModule } from './notifier.module';

const options = (config: NotifierConfig, logger?: Logger) => ({
  service: 'notifier',
  config,
  logger,
  module: (c: NotifierConfig, l: Logger) => NotifierModule.forRoot(c, l),
  connect: connectEventTransport,
});

export const createNotifierApp = (config: NotifierConfig, logger?: Logger): Promise<INestApplication> => createApp(options(config, logger));
export const runNotifierApp = (config: NotifierConfig): Promise<INestApplication> => runApp(options(config));
