import { Global, Module, type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from './logger';
import { MetricsController, collectProcessMetrics } from './metrics';

export const APP_CONFIG = Symbol('jobstream:app-config');

@Global()
@Module({})
export class PlatformModule {
  static forRoot<C extends object>(options: { config: C; logger: Logger }): DynamicModule {
    collectProcessMetrics();
    return {
      module: PlatformModule,
      controllers: [MetricsController],
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            logger: options.logger,
            autoLogging: { ignore: (req) => /^\/(health|metrics)/.test(req.url ?? '') },
            customProps: () => ({ component: 'http' }),
            serializers: {
              req: (req: { method: string; url: string; id: unknown }) => ({ id: req.id, method: req.method, url: req.url }),
              // The status only: a response's dozen security headers on every line cost more than the rest of the record.
              res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
            },
          },
        }),
      ],
      providers: [
        { provide: APP_CONFIG, useValue: options.config },
        { provide: ROOT_LOGGER, useValue: options.logger },
      ],
      exports: [APP_CONFIG, ROOT_LOGGER, LoggerModule],
    };
  }
}
