import type { INestApplication } from '@nestjs/common';
import { urlencoded } from 'express';
import { createApp, runApp, type Logger } from '@jobstream/platform';
import type { WebConfig } from './web.config';
import { WebModule } from './web.module';

/**
 * Pages are served over plain http on a developer machine (localhost:3004), so helmet's
 * upgrade-insecure-requests would send the browser to an https port that doesn't exist. Scripts and
 * styles come from this origin only; JSON-LD is a data block, which script-src doesn't govern.
 */
const helmetOptions = { contentSecurityPolicy: { directives: { 'upgrade-insecure-requests': null, 'script-src': ["'self'"], 'style-src': ["'self'", "'unsafe-inline'"] } }, hsts: false };

const options = (config: WebConfig, logger?: Logger) => ({
  service: 'web',
  config,
  logger,
  helmet: helmetOptions,
  module: (c: WebConfig, l: Logger) => WebModule.forRoot(c, l),
  // Forms post application/x-www-form-urlencoded (the pages work without JavaScript).
  configure: (app: INestApplication) => void app.use(urlencoded({ extended: false, limit: config.HTTP_BODY_LIMIT })),
});

export const createWebApp = (config: WebConfig, logger?: Logger): Promise<INestApplication> => createApp(options(config, logger));
export const runWebApp = (config: WebConfig): Promise<INestApplication> => runApp(options(config));
