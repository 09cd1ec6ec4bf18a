import type { ApplicationSubmitted } from '@jobstream/contracts';
import type { CompanyPolicyView, PostingView } from './posting-lookup';

export type RejectionReason = 'LIMIT_REACHED' | 'POSTING_CLOSED' | 'POSTING_NOT_FOUND';

export type Decision =
  | { status: 'accepted' }
  | { status: 'rejected'; reason: RejectionReason; detail: string };

/** What an application counts against: the posting's company, or its whole group of affiliates. */
export type LimitScope = { field: 'companyId' | 'groupId'; value: string; max: number };

/**
 * The limit an application falls under, if any. A 'group' policy counts every company sharing the
 * group id; a company without a group falls back to counting its own postings.
 */
export function limitScopeOf(company: CompanyPolicyView | null): LimitScope | undefined {
  const policy = company?.applicationPolicy;
  if (!company || !policy) return undefined;
  if (policy.scope === 'group' && company.group?.id) return { field: 'groupId', value: company.group.id, max: policy.maxApplicationsPerCandidate };
  return { field: 'companyId', value: company.companyId, max: policy.maxApplicationsPerCandidate };
}

/**
 * Decides one application. `acceptedSoFar` counts the candidate's earlier accepted applications
 * within the scope (earlier = before this one in the order applied, i.e. partition order).
 */
export function decide(posting: PostingView | null, scope: LimitScope | undefined, acceptedSoFar: number): Decision {
  if (!posting) return { status: 'rejected', reason: 'POSTING_NOT_FOUND', detail: 'The posting does not exist.' };
  if (posting.status !== 'published') {
    return { status: 'rejected', reason: 'POSTING_CLOSED', detail: `The posting is ${posting.status} and takes no applications.` };
  }
  if (scope && acceptedSoFar >= scope.max) {
    const where = scope.field === 'groupId' ? 'this company and its affiliates' : 'this company';
    return {
      status: 'rejected',
      reason: 'LIMIT_REACHED',
      detail: `A candidate may apply to at most ${scope.max} posting${scope.max === 1 ? '' : 's'} of ${where}; earlier applications are considered first.`,
    };
  }
  return { status: 'accepted' };
}

/** What a decision is made on: the posting and its company as they stood when the candidate applied. */
export interface DecisionFacts {
  posting: PostingView | null;
  company: (CompanyPolicyView & { name?: string }) | null;
  /** Where the facts come from: ingest's registry (carried by the event) or listings' projection. */
  basis: 'registry' | 'projection';
  postingRevision?: number;
  companyVersion?: string;
}

/**
 * The facts an application carries from ingest's registry, or undefined for an event published
 * before ingest recorded them. Ingest only accepts applications to published, unexpired postings,
 * so the posting it names was open at `revision` when the candidate applied.
 */
export function factsFromEvent(data: ApplicationSubmitted): DecisionFacts | undefined {
  if (!data.posting) return undefined;
  const { posting, company } = data;
  return {
    basis: 'registry',
    posting: { postingId: data.postingId, companyId: posting.companyId, status: 'published', title: posting.title },
    company: company
      ? { companyId: posting.companyId, name: company.name, ...(company.group ? { group: company.group } : {}), ...(company.applicationPolicy ? { applicationPolicy: company.applicationPolicy } : {}) }
      : null,
    postingRevision: posting.revision,
    ...(company ? { companyVersion: company.version } : {}),
  };
}
