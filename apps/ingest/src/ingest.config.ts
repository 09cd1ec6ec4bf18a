import { int, type ConfigOf } from '@jobstream/platform/config';
import { KafkaConfigSpec } from '@jobstream/messaging/messaging.config';
import { platformConfigSpec } from '@jobstream/platform/platform.config';

export const IngestConfigSpec = {
  ...platformConfigSpec(3000),
  ...KafkaConfigSpec,
  INGEST_RETRY_AFTER_SECONDS: int({ description: 'Retry-After sent with a 503 when the broker is unavailable', default: 5, min: 1, max: 3600 }),
};
export type IngestConfig = ConfigOf<typeof IngestConfigSpec>;
