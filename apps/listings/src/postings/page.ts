import type { CompanyInsightsUpdated, PostingSnapshot } from '@jobstream/contracts';
import type { CompanyView } from '../companies/companies.repository';
import type { PostingView } from './postings.repository';

type Insights = Omit<CompanyInsightsUpdated, 'companyId' | 'updatedAt' | 'trendingScore'>;

/** What the page shows before analytics has published anything: present, and empty. */
export const EMPTY_INSIGHTS: Insights = {
  salaries: { dataPoints: 0, byRole: [] },
  reviews: { count: 0, overall: null, workLifeBalance: null, compensation: null, culture: null, career: null, management: null, recommendToFriendPercent: null },
  interviews: { count: 0, difficulty: null, durationWeeks: [null, null], experiencePercent: { positive: 0, neutral: 0, negative: 0 }, process: [], commonQuestions: [] },
};

export interface PostingPage {
  posting: PostingSnapshot;
  company: (Omit<CompanyView, 'insights' | 'updatedAt'> & { trendingScore: number }) | null;
  counters: { totalViews: number; uniqueViewers: number; applyClicks: number; mockApplicants: number; scraps: number; updatedAt: string | null };
  reviews: Insights['reviews'];
  salaries: Insights['salaries'];
  interviews: Insights['interviews'];
}

/** The whole posting page in one document: posting, company panel, counters and summaries. */
export function buildPage(posting: PostingView, company: CompanyView | null): PostingPage {
  const stats = posting.stats;
  const insights = company?.insights;
  const { insights: _i, updatedAt: _u, ...panel } = company ?? ({} as CompanyView);
  return {
    posting: posting.snapshot,
    company: company ? { ...panel, trendingScore: insights?.trendingScore ?? 0 } : null,
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
