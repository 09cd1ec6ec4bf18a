import { Controller, Get, Global, Module, Res, type DynamicModule } from '@nestjs/common';
import type { Response } from 'express';
import type { Logger } from 'pino';
import { HealthModule, PlatformModule, withDeadline } from '@jobstream/platform';
import { ApiClient } from './api.client';
import { WebController } from './web.controller';
import type { WebConfig } from './web.config';
import { SITE_CSS } from './assets/site-css';
import { SITE_JS } from './assets/site-js';

@Controller('assets')
class AssetsController {
  @Get('site.css')
  css(@Res() res: Response): void {
    res.type('text/css').setHeader('cache-control', 'public, max-age=300');
    res.send(SITE_CSS);
  }

  @Get('site.js')
  js(@Res() res: Response): void {
    res.type('application/javascript').setHeader('cache-control', 'public, max-age=300');
    res.send(SITE_JS);
  }
}

/** The API client, global so the readiness check can use it too (its settings are APP_CONFIG). */
@Global()
@Module({ providers: [ApiClient], exports: [ApiClient] })
class WebClientModule {}

@Module({})
export class WebModule {
  static forRoot(config: WebConfig, logger: Logger): DynamicModule {
    return {
      module: WebModule,
      imports: [
        PlatformModule.forRoot({ config, logger }),
        WebClientModule,
        HealthModule.forRoot({
          inject: [ApiClient],
          // Ready when the read APIs answer: without them no page can be rendered.
          useFactory: (api: ApiClient) => [withDeadline('read-apis', 3000, () => api.ready())],
        }),
      ],
      controllers: [AssetsController, WebController],
    };
  }
}
