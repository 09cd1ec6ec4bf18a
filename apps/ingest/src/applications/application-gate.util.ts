import type { AppliedPosting } from '@jobstream/contracts';
import type { PostingRecord } from '../postings/posting-registry.repository';

export type Gate = { open: true; posting: AppliedPosting } | { open: false; status: 404 | 409; message: string };

/**
 * Whether a posting takes applications, from what the registry has committed (acknowledged
 * writes only; a pending write is not yet true). Unknown and draft postings are 404 (a draft is
 * not public); closed, expired or past its expiresAt is 409.
 */
export function applicationGate(postingId: string, record: PostingRecord | null, now: Date): Gate {
  const state = record?.state;
  if (!record || !state || record.revision < 1 || state.status === 'draft') {
    return { open: false, status: 404, message: `No published posting ${postingId}` };
  }
  if (state.status === 'closed' || state.status === 'expired') {
    return { open: false, status: 409, message: `Posting ${postingId} is ${state.status} and takes no applications` };
  }
  const expiresAt = state.content.expiresAt ? Date.parse(state.content.expiresAt) : Number.NaN;
  if (expiresAt <= now.getTime()) {
    return { open: false, status: 409, message: `Posting ${postingId} expired at ${state.content.expiresAt} and takes no applications` };
  }
  return { open: true, posting: { revision: record.revision, companyId: state.companyId, title: state.content.title } };
}
