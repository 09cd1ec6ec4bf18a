import { startService } from '@jobstream/platform/bootstrap';
import { AnalyticsConfigSpec } from './analytics.config';
import { runAnalyticsApp } from './analytics.app';

startService('analytics', AnalyticsConfigSpec, runAnalyticsApp);
