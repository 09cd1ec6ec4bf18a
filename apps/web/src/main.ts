import { startService } from '@jobstream/platform/bootstrap';
import { WebConfigSpec } from './web.config';
import { runWebApp } from './web.app';

startService('web', WebConfigSpec, runWebApp);
