import { startService } from '@jobstream/platform/bootstrap';
import { ListingsConfigSpec } from './listings.config';
import { runListingsApp } from './listings.app';

startService('listings', ListingsConfigSpec, runListingsApp);
