import type { VarSpec } from '../config';
import { parseApiKeys, type ApiKeyEntry } from './api-keys.util';

export const AuthConfigSpec = {
  INGEST_API_KEYS: {
    description:
      'API keys as comma-separated id:role:companies:sha256hex entries (role operator or recruiter; companies * or a+b). Only SHA-256 hashes are configured: `npm run ops -- hash-key <key>` prints one',
    kind: 'api key list',
    default: [],
    secret: true,
    parse: parseApiKeys,
  } satisfies VarSpec<ApiKeyEntry[]>,
};
