import { startService } from '@jobstream/platform/bootstrap';
import { IngestConfigSpec } from './ingest.config';
import { runIngestApp } from './ingest.app';

startService('ingest', IngestConfigSpec, runIngestApp);
