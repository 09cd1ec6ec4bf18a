import {
  interviewSummary,
  largestRemainderPercents,
  meanTo1,
  percentile,
  rankByFrequency,
  reviewSummary,
  roundTo,
  salaryFigures,
  totalCompensation,
  wholePercent,
} from './insights.util';

describe('percentile (numpy linear)', () => {
  // Hand-computed: h = (n-1)·p; x[floor h] + (h - floor h)·(x[floor h + 1] - x[floor h]).
  it('interpolates between closest ranks', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5); // h = 1.5 → 2 + 0.5·1
    expect(percentile([1, 2, 3, 4], 25)).toBe(1.75); // h = 0.75 → 1 + 0.75·1
    expect(percentile([1, 2, 3, 4], 75)).toBe(3.25); // h = 2.25 → 3 + 0.25·1
    expect(percentile([15, 20, 35, 40, 50], 40)).toBe(29); // h = 1.6 → 20 + 0.6·15
    expect(percentile([15, 20, 35, 40, 50], 25)).toBe(20); // h = 1 exactly
    expect(percentile([100000, 125000, 200000], 25)).toBe(112500); // h = 0.5
    expect(percentile([100000, 125000, 200000], 75)).toBe(162500); // h = 1.5
  });

  it('handles the edges', () => {
    expect(percentile([], 50)).toBeNull();
    expect(percentile([7], 25)).toBe(7);
    expect(percentile([3, 9], 0)).toBe(3);
    expect(percentile([3, 9], 100)).toBe(9);
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });
});

describe('rounding and shares', () => {
  it('rounds half-way values up despite binary noise', () => {
    expect(roundTo(1.15, 1)).toBe(1.2);
    expect(roundTo(2.25, 1)).toBe(2.3);
    expect(roundTo(3.14159, 1)).toBe(3.1);
    expect(meanTo1(7, 2)).toBe(3.5);
    expect(meanTo1(10, 3)).toBe(3.3);
    expect(meanTo1(0, 0)).toBeNull();
    expect(wholePercent(1, 8)).toBe(13); // 12.5 → 13
    expect(wholePercent(1, 3)).toBe(33);
    expect(wholePercent(0, 0)).toBeNull();
  });

  it('gives whole percents that always sum to 100 (largest remainder)', () => {
    expect(largestRemainderPercents([1, 1, 1])).toEqual([34, 33, 33]);
    expect(largestRemainderPercents([0, 1, 3])).toEqual([0, 25, 75]);
    expect(largestRemainderPercents([1, 2, 4])).toEqual([14, 29, 57]); // 14.29, 28.57, 57.14 → one point to 28.57
    expect(largestRemainderPercents([2, 1, 1])).toEqual([50, 25, 25]);
    expect(largestRemainderPercents([0, 0, 0])).toEqual([0, 0, 0]);
    for (let a = 0; a < 12; a++) {
      for (let b = 0; b < 12; b++) {
        for (let c = 1; c < 12; c++) expect(largestRemainderPercents([a, b, c]).reduce((x, y) => x + y, 0)).toBe(100);
      }
    }
  });

  it('ranks by frequency, ties in first-seen order', () => {
    expect(rankByFrequency(['Screen', 'Onsite', 'Offer', 'Screen', 'Onsite', 'Screen'])).toEqual(['Screen', 'Onsite', 'Offer']);
    expect(rankByFrequency(['B', 'A', 'C'])).toEqual(['B', 'A', 'C']);
  });
});

describe('summaries', () => {
  it('computes salary figures over total compensation', () => {
    const reports = [
      { baseSalary: 100000, stockPerYear: 20000, bonus: 10000 },
      { baseSalary: 125000 },
      { baseSalary: 150000, bonus: 30000 },
    ];
    const figures = salaryFigures({
      totals: reports.map(totalCompensation),
      bases: reports.map((r) => r.baseSalary),
      stocks: reports.flatMap((r) => (r.stockPerYear === undefined ? [] : [r.stockPerYear])),
      bonuses: reports.flatMap((r) => (r.bonus === undefined ? [] : [r.bonus])),
    });
    // totals 130000, 125000, 180000 → sorted 125000, 130000, 180000
    expect(figures).toEqual({
      reports: 3,
      medianTotal: 130000,
      rangeTotal: [127500, 155000],
      medianBase: 125000,
      medianStock: 20000,
      medianBonus: 20000,
    });
    expect(salaryFigures({ totals: [], bases: [], stocks: [], bonuses: [] }).medianStock).toBeNull();
  });

  it('computes the review summary to one decimal and a whole recommend percent', () => {
    const sums = { overall: 9.5, workLifeBalance: 4.5, compensation: 6, culture: 3.5, career: 5.5, management: 3 };
    expect(reviewSummary({ count: 3, sums, recommended: 1 })).toEqual({
      count: 3,
      overall: 3.2,
      workLifeBalance: 1.5,
      compensation: 2,
      culture: 1.2,
      career: 1.8,
      management: 1,
      recommendToFriendPercent: 33,
    });
  });

  it('computes the interview summary', () => {
    expect(
      interviewSummary({
        count: 4,
        difficultySum: 14,
        durations: [40, 20, 24, 30],
        experience: { positive: 0, neutral: 1, negative: 3 },
        steps: ['Recruiter Screen', 'Onsite', 'Recruiter Screen', 'Offer', 'Recruiter Screen', 'Onsite'],
        questions: ['System Design', 'Coding/Algorithm', 'Coding/Algorithm'],
      }),
    ).toEqual({
      count: 4,
      difficulty: 3.5,
      durationWeeks: [23, 32.5], // sorted 20, 24, 30, 40: p25 h=0.75 → 23; p75 h=2.25 → 32.5
      experiencePercent: { positive: 0, neutral: 25, negative: 75 },
      process: ['Recruiter Screen', 'Onsite', 'Offer'],
      commonQuestions: ['Coding/Algorithm', 'System Design'],
    });
  });
});
