import { startService } from '@jobstream/platform/bootstrap';
import { NotifierConfigSpec } from './notifier.config';
import { runNotifierApp } from './notifier.app';

startService('notifier', NotifierConfigSpec, runNotifierApp);
