import { Type, type Static } from '@sinclair/typebox';
import { DateTime, Id, NonNegativeInt, Nullable } from '../common.schema';

export const DailyPoint = Type.Object({
  date: Type.String({ format: 'date', description: 'UTC day' }),
  views: NonNegativeInt('Views that day'),
  applyClicks: NonNegativeInt('Apply clicks that day'),
  scraps: NonNegativeInt('Scraps that day'),
  mockApplicants: NonNegativeInt('New mock applicants that day'),
});

export const PostingStatsUpdated = Type.Object(
  {
    postingId: Id('Posting id (also the Kafka key)'),
    companyId: Type.Optional(Id('Company of the posting')),
    totalViews: NonNegativeInt('All views'),
    uniqueViewers: NonNegativeInt('Distinct viewers (HyperLogLog estimate)'),
    applyClicks: NonNegativeInt('Apply clicks'),
    scraps: NonNegativeInt('Current bookmarks'),
    mockApplicants: NonNegativeInt('Distinct mock applicants'),
    trendingScore: Type.Number({ minimum: 0 }),
    daily: Type.Array(DailyPoint, { maxItems: 31, description: 'The last 30 days' }),
    updatedAt: DateTime('When analytics computed this snapshot'),
  },
  { $id: 'posting-stats.updated', title: 'posting-stats.updated', description: 'Latest counters of a posting (compacted topic).' },
);
export type PostingStatsUpdated = Static<typeof PostingStatsUpdated>;

const Percentile = Nullable(Type.Number());

export const SalaryBreakdown = Type.Object({
  level: Type.String(),
  title: Type.String(),
  reports: NonNegativeInt('Number of reports'),
  currency: Type.String(),
  medianTotal: Percentile,
  rangeTotal: Type.Tuple([Percentile, Percentile], { description: '25th and 75th percentile of total compensation' }),
  medianBase: Percentile,
  medianStock: Percentile,
  medianBonus: Percentile,
});

export const SalarySummary = Type.Object({
  dataPoints: NonNegativeInt('All salary reports of the company'),
  overall: Type.Optional(SalaryBreakdown),
  byRole: Type.Array(SalaryBreakdown, { description: 'Per (level, title)' }),
});

export const ReviewSummary = Type.Object({
  count: NonNegativeInt('Reviews'),
  overall: Percentile,
  workLifeBalance: Percentile,
  compensation: Percentile,
  culture: Percentile,
  career: Percentile,
  management: Percentile,
  recommendToFriendPercent: Percentile,
});

export const ExperiencePercent = Type.Object({
  positive: NonNegativeInt('Whole percent'),
  neutral: NonNegativeInt('Whole percent'),
  negative: NonNegativeInt('Whole percent'),
});

export const InterviewSummary = Type.Object({
  count: NonNegativeInt('Interview reports'),
  difficulty: Percentile,
  durationWeeks: Type.Tuple([Percentile, Percentile], { description: '25th and 75th percentile' }),
  experiencePercent: ExperiencePercent,
  process: Type.Array(Type.String(), { description: 'Interview steps ranked by frequency' }),
  commonQuestions: Type.Array(Type.String(), { description: 'Question categories ranked by frequency' }),
});

export const CompanyInsightsUpdated = Type.Object(
  {
    companyId: Id('Company id (also the Kafka key)'),
    salaries: SalarySummary,
    reviews: ReviewSummary,
    interviews: InterviewSummary,
    trendingScore: Type.Number({ minimum: 0 }),
    updatedAt: DateTime('When analytics computed this snapshot'),
  },
  {
    $id: 'company-insights.updated',
    title: 'company-insights.updated',
    description: 'Latest salary, review and interview summaries and trending score of a company (compacted topic).',
  },
);
export type CompanyInsightsUpdated = Static<typeof CompanyInsightsUpdated>;
