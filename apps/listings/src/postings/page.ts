import type { CompanyInsightsUpdated, CompanyUpserted, PostingSnapshot } from '@jobstream/contracts';
import type { IndexedCompany, IndexedPosting } from '../search/page.reader';

type Insights = Omit<CompanyInsightsUpdated, 'companyId' | 'updatedAt' | 'trendingScore'>;

/** What the page shows before analytics has published anything: present, and empty. */
export const EMPTY_INSIGHTS: Insights = {
  salaries: { dataPoints: 0, byRole: [] },
  reviews: { count: 0, overall: null, workLifeBalance: null, compensation: null, culture: null, career: null, management: null, recommendToFriendPercent: null },
  interviews: { count: 0, difficulty: null, durationWeeks: [null, null], experiencePercent: { positive: 0, neutral: 0, negative: 0 }, process: [], commonQuestions: [] },
};

export type CompanyPanel = Omit<CompanyUpserted, 'companyId'> & { companyId: string };

export interface PostingPage {
  posting: PostingSnapshot;
  company: (CompanyPanel & { trendingScore: number }) | null;
  counters: { totalViews: number; uniqueViewers: number; applyClicks: number; mockApplicants: number; scraps: number; updatedAt: string | null };
  reviews: Insights['reviews'];
  salaries: Insights['salaries'];
  interviews: Insights['interviews'];
}

/** The company's profile as the pages show it, or null before its profile arrived. */
export function companyPanel(company: IndexedCompany | null): CompanyPanel | null {
  return company?.profile ? { companyId: company.companyId, ...company.profile } : null;
}

/** The whole posting page in one document: posting, company panel, counters and summaries. */
export function buildPage(posting: IndexedPosting, company: IndexedCompany | null): PostingPage {
  const stats = posting.stats;
  const insights = company?.insights;
  const panel = companyPanel(company);
  return {
    posting: posting.snapshot,
    company: panel ? { ...panel, trendingScore: insights?.trendingScore ?? 0 } : null,
    counters: {
      totalViews: stats?.totalViews ?? 0,
      uniqueViewers: stats?.uniqueViewers ?? 0,
      applyClicks: stats?.applyClicks ?? 0,
      mockApplicants: stats?.mockApplicants ?? 0,
      scraps: stats?.scraps ?? 0,
      updatedAt: stats?.updatedAt ?? null,
    },
    reviews: insights?.reviews ?? EMPTY_INSIGHTS.reviews,
    salaries: insights?.salaries ?? EMPTY_INSIGHTS.salaries,
    interviews: insights?.interviews ?? EMPTY_INSIGHTS.interviews,
  };
}
