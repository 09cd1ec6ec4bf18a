import { str } from '@jobstream/platform/config';

export const DEV_CANDIDATE_ID_SECRET = 'dev-only-candidate-id-secret-change-me';

export const ApplicationsIngestConfigSpec = {
  CANDIDATE_ID_SECRET: str({
    description:
      'HMAC key deriving the pseudonymous candidateId from the normalized email. Keep it stable (changing it splits candidates and resets application limits); the default is for development only',
    default: DEV_CANDIDATE_ID_SECRET,
    secret: true,
    pattern: /^.{16,}$/,
    hint: 'at least 16 characters',
  }),
};
