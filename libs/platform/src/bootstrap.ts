import 'reflect-metadata';
import { ModulesContainer, NestFactory } from '@nestjs/core';
import type { DynamicModule, HttpException, INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { json } from 'express';
import helmet, { type HelmetOptions } from 'helmet';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import { ConfigError, loadConfig, type ConfigOf, type ConfigSpec } from './config';
import { createLogger, flushLogs, type Logger } from './logger';
import { HttpErrorFilter, bodyParserErrors } from './http-errors';
import type { platformConfigSpec } from './platform.config';
import { OpenApiDocument, mountDocsUi } from './openapi';
import { httpMetrics } from './metrics';
import { refuseUnacceptedEncodings, rejectInvalidUtf8 } from './body-errors';
import { noStoreByDefault } from './cache-control';

/** Looks the provider up without `app.get`, whose miss Nest logs as an error. */
function hasProvider(app: INestApplication, token: abstract new (...args: never[]) => unknown): boolean {
  return [...app.get(ModulesContainer).values()].some((module) => module.providers.has(token));
}

type PlatformConfig = ConfigOf<ReturnType<typeof platformConfigSpec>>;

/** Loads the config or exits at once with a message naming the bad variable. */
export function loadConfigOrExit<S extends ConfigSpec>(service: string, spec: S, env: NodeJS.ProcessEnv = process.env): ConfigOf<S> {
  try {
    return loadConfig(spec, env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${JSON.stringify({ level: 'fatal', service, msg: err.message })}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
}

export interface CreateAppOptions<C extends PlatformConfig> {
  service: string;
  config: C;
  logger?: Logger;
  /** Builds the root module once config and logger exist. */
  module: (config: C, logger: Logger) => DynamicModule;
  /** Maps domain errors (e.g. broker unavailable) to HTTP answers. */
  mapError?: (err: unknown) => HttpException | undefined;
  /** Overrides of helmet's defaults (the web front end serves pages, not only JSON). */
  helmet?: HelmetOptions;
  /** Extra middleware (e.g. a form body parser), added after the JSON parser. */
  configure?: (app: INestApplication) => void;
  /** Connects microservice transports (the event consumers); they start with `app.startAllMicroservices()`. */
  connect?: (app: INestApplication) => void;
}

/** Creates a configured app without listening, so tests boot the real thing in-process. */
export async function createApp<C extends PlatformConfig>(options: CreateAppOptions<C>): Promise<INestApplication> {
  const logger = options.logger ?? createLogger(options.service, options.config.LOG_LEVEL);
  const app = await NestFactory.create<NestExpressApplication>(options.module(options.config, logger), {
    bodyParser: false,
    bufferLogs: true,
    forceCloseConnections: true,
    // Start-up errors reject (and startService exits non-zero) instead of Nest calling process.exit.
    abortOnError: false,
  });
  app.useLogger(app.get(PinoNestLogger));
  app.disable('x-powered-by');
  trustProxies(app, options.config.TRUST_PROXY);
  app.use(httpMetrics());
  // Security headers (nosniff, frame-ancestors none, HSTS, a same-origin CSP the docs UI works under).
  app.use(helmet(options.helmet));
  // Nothing is cacheable unless its route says so (@CacheControl): writes, errors, health, metrics
  // and receipt-token reads must never sit in a shared cache.
  app.use(noStoreByDefault);
  app.use(refuseUnacceptedEncodings);
  // Invalid UTF-8 is refused on the raw bytes: after decoding it would be U+FFFD, indistinguishable.
  app.use(json({ limit: options.config.HTTP_BODY_LIMIT, strict: true, verify: rejectInvalidUtf8 }));
  options.configure?.(app);
  app.use(bodyParserErrors);
  app.useGlobalFilters(new HttpErrorFilter(logger.child({ component: 'http' }), options.mapError));
  if (hasProvider(app, OpenApiDocument)) mountDocsUi(app);
  app.enableShutdownHooks();
  options.connect?.(app);
  return app;
}

/**
 * Whose X-Forwarded-For Express believes for req.ip (see TRUST_PROXY). An entry the pattern let
 * through that is still no address (300.1.1.1) fails the start-up here, naming the variable.
 */
function trustProxies(app: NestExpressApplication, value: string): void {
  if (!value) return;
  try {
    app.set('trust proxy', value.split(',').map((entry) => entry.trim()));
  } catch (err) {
    throw new ConfigError('TRUST_PROXY', `${(err as Error).message} (got "${value}")`);
  }
}

/** Starts a service: listen, and on SIGTERM/SIGINT shut down in order within the timeout. */
export async function runApp<C extends PlatformConfig>(options: CreateAppOptions<C>): Promise<INestApplication> {
  const logger = options.logger ?? createLogger(options.service, options.config.LOG_LEVEL);
  const app = await createApp({ ...options, logger });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    let shuttingDown = false;
    const onSignal = () => {
      if (!shuttingDown) {
        shuttingDown = true;
        logger.info({ signal }, 'shutting down');
        // Nest runs the ordered hooks (stop consuming, drain, close databases); this is the backstop.
        // It also keeps the process alive until Nest raises the signal again: Node's signal handles
        // don't, so with nothing else left the process would end with 0 before this listener ran.
        setTimeout(() => {
          logger.error('graceful shutdown timed out; exiting');
          flushLogs();
          process.exit(1);
        }, options.config.SHUTDOWN_TIMEOUT_MS);
        return;
      }
      // Nest ends its shutdown by raising the signal again, to end the process the way it was asked
      // to; this listener is the last one left. Logs are written asynchronously: write out what is
      // still buffered, then let the signal end the process. (A second signal from outside lands
      // here too: the process ends at once, as a second Ctrl-C should.)
      flushLogs();
      process.removeListener(signal, onSignal);
      process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
  // Consumers start once every module is initialised (indexes ensured, queues up), as before the HTTP port opens.
  await app.init();
  await app.startAllMicroservices();
  // Node's default is 5 s: a client (or balancer) reusing a connection just as the service closes it
  // gets ECONNRESET, and the bench saw dozens per minute at 100 requests/s.
  const server = app.getHttpServer() as import('node:http').Server;
  server.keepAliveTimeout = options.config.HTTP_KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = options.config.HTTP_KEEP_ALIVE_TIMEOUT_MS + 1000;
  await app.listen(options.config.PORT, options.config.HOST);
  logger.info({ port: options.config.PORT }, `${options.service} listening`);
  return app;
}

/** Entry point of a service: validated config, then run; a start-up failure exits non-zero. */
export function startService<S extends ConfigSpec>(service: string, spec: S, run: (config: ConfigOf<S>) => Promise<unknown>): void {
  const config = loadConfigOrExit(service, spec);
  run(config).catch((err: unknown) => {
    flushLogs();
    process.stderr.write(`${JSON.stringify({ level: 'fatal', service, msg: 'start-up failed', err: String((err as Error)?.stack ?? err) })}\n`);
    process.exit(1);
  });
}
