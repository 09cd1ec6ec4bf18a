import type { INestApplication } from '@nestjs/common';
import { BrokerUnavailableError, isTransientError } from '@jobstream/messaging/errors';
import { ServiceUnavailableException, createApp, runApp, type Logger } from '@jobstream/platform';
import type { IngestConfig } from './ingest.config';
import { IngestModule } from './ingest.module';

const options = (config: IngestConfig, logger?: Logger) => ({
  service: 'ingest',
  config,
  logger,
  module: (c: IngestConfig, l: Logger) => IngestModule.forRoot(c, l),
  // A write the broker did not acknowledge is never reported as accepted.
  mapError: (err: unknown) => {
    if (err instanceof BrokerUnavailableError) return new ServiceUnavailableException(err.message, config.INGEST_RETRY_AFTER_SECONDS);
    // The registry (Redis) unreachable: nothing was acknowledged, the write may be retried as is.
    if (isTransientError(err)) return new ServiceUnavailableException('The registry is unavailable; retry later', config.INGEST_RETRY_AFTER_SECONDS);
    return undefined;
  },
});

export const createIngestApp = (config: IngestConfig, logger?: Logger): Promise<INestApplication> => createApp(options(config, logger));
export const runIngestApp = (config: IngestConfig): Promise<INestApplication> => runApp(options(config));
