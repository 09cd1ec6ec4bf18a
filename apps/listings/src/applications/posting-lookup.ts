/** What the application decision needs of a posting (served by the postings projection). */
export interface PostingView {
  postingId: string;
  companyId: string;
  status: 'draft' | 'published' | 'closed' | 'expired';
  title: string;
}

/** Port to the postings projection, so the decision doesn't depend on how postings are stored. */
export abstract class PostingLookup {
  abstract findById(postingId: string): Promise<PostingView | null>;
}

/** What the decision needs of a company (served by the companies projection). */
export interface CompanyPolicyView {
  companyId: string;
  group?: { id: string; name: string };
  applicationPolicy?: { maxApplicationsPerCandidate: number; scope: 'company' | 'group'; consideredInOrderApplied: boolean };
}

export abstract class CompanyLookup {
  abstract findById(companyId: string): Promise<CompanyPolicyView | null>;
}
