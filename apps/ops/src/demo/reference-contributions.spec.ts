import { interviewSummary, reviewSummary, salaryFigures, totalCompensation, RATING_FIELDS, type RatingField } from '../../../analytics/src/contributions/insights.util';
import { REFERENCE_SALARY_ROW, referenceContributions } from './reference-contributions';

type Salary = { level: string; title: string; baseSalary: number; stockPerYear?: number; bonus?: number };
type Review = Record<RatingField, number> & { recommendToFriend: boolean };
type Interview = { difficulty: number; durationWeeks: number; experience: 'positive' | 'neutral' | 'negative'; steps: string[]; questionCategories: string[] };

/** The demo's contributions, run through analytics' own rules, give the seed's page figures. */
describe('reference contributions', () => {
  const c = referenceContributions('tiktok');

  it('make 52 salary data points and the seed example row', () => {
    const salaries = c.salaries as unknown as Salary[];
    expect(salaries).toHaveLength(52);
    expect(new Set(c.salaries.map((s) => s.reportId)).size).toBe(52);
    const row = salaries.filter((s) => s.level === REFERENCE_SALARY_ROW.level && s.title === REFERENCE_SALARY_ROW.title);
    const figures = salaryFigures({
      totals: row.map(totalCompensation),
      bases: row.map((s) => s.baseSalary),
      stocks: row.flatMap((s) => (s.stockPerYear === undefined ? [] : [s.stockPerYear])),
      bonuses: row.flatMap((s) => (s.bonus === undefined ? [] : [s.bonus])),
    });
    expect(figures).toEqual({ reports: 3, medianTotal: 143750, rangeTotal: [126500, 163300], medianBase: 125000, medianStock: null, medianBonus: 18750 });
  });

  it('make the review summary as close to the seed as half-step ratings allow', () => {
    const reviews = c.reviews as unknown as Review[];
    const sums = Object.fromEntries(RATING_FIELDS.map((f) => [f, reviews.reduce((s, r) => s + r[f], 0)])) as Record<RatingField, number>;
    expect(reviewSummary({ count: reviews.length, sums, recommended: reviews.filter((r) => r.recommendToFriend).length })).toEqual({
      count: 3,
      overall: 3.2, // the seed's 3.1 is no mean of three half steps (3.0 and 3.17 are the nearest)
      workLifeBalance: 1.5,
      compensation: 2,
      culture: 1.2,
      career: 1.8,
      management: 1,
      recommendToFriendPercent: 0, // the seed's 5 % is no share of three (0 % is the nearest)
    });
  });

  it("make the seed's interview summary exactly", () => {
    const interviews = c.interviews as unknown as Interview[];
    const experience = { positive: 0, neutral: 0, negative: 0 };
    for (const i of interviews) experience[i.experience]++;
    expect(
      interviewSummary({
        count: interviews.length,
        difficultySum: interviews.reduce((s, i) => s + i.difficulty, 0),
        durations: interviews.map((i) => i.durationWeeks),
        experience,
        steps: interviews.flatMap((i) => i.steps),
        questions: interviews.flatMap((i) => i.questionCategories),
      }),
    ).toEqual({
      count: 4,
      difficulty: 3.5,
      durationWeeks: [21, 35],
      experiencePercent: { positive: 0, neutral: 25, negative: 75 },
      process: ['Application Review', 'Recruiter Screen', 'Online Assessment', 'Technical Phone Screen', 'Onsite/Virtual Interviews', 'Team Matching', 'Offer'],
      commonQuestions: ['Coding/Algorithm', 'System Design', 'Behavioral/STAR', 'Technical Knowledge', 'Data Structures'],
    });
  });
});
