import type { RatingField } from './insights.util';

/**
 * Raw values per group, so exact percentiles can be recomputed on every write. Each document also
 * holds the ids of the reports already in it: the id guard and the $push/$inc sit in ONE document
 * update, which MongoDB and FerretDB apply atomically (no transactions needed for exactly-once).
 */
export const Collections = {
  salaryGroups: 'salary_groups',
  reviewStats: 'review_stats',
  reviews: 'reviews',
  interviewStats: 'interview_stats',
  insights: 'company_insights',
} as const;

/** One (company, level, title, currency): amounts in different currencies are never mixed. */
export interface SalaryGroupDoc {
  _id: string;
  companyId: string;
  level: string;
  title: string;
  currency: string;
  count?: number;
  reportIds?: string[];
  totals?: number[];
  bases?: number[];
  stocks?: number[];
  bonuses?: number[];
}

export interface ReviewStatsDoc {
  _id: string; // companyId
  count?: number;
  recommended?: number;
  sums?: Partial<Record<RatingField, number>>;
  reviewIds?: string[];
}

/** Each review, for the latest-first list (cursor on the UUIDv7 event id, which sorts by time). */
export interface ReviewDoc {
  _id: string; // reviewId
  companyId: string;
  eventId: string;
  submittedAt: Date;
  overall: number;
  workLifeBalance: number;
  compensation: number;
  culture: number;
  career: number;
  management: number;
  recommendToFriend: boolean;
  pros: string;
  cons: string;
}

export interface InterviewStatsDoc {
  _id: string; // companyId
  count?: number;
  reportIds?: string[];
  difficultySum?: number;
  durations?: number[];
  experience?: { positive?: number; neutral?: number; negative?: number };
  steps?: string[];
  questions?: string[];
}

export interface InsightsDoc {
  _id: string; // companyId
  salaries: unknown;
  reviews: unknown;
  interviews: unknown;
  updatedAt: Date;
}
