/**
 * The contributions behind the reference posting page (shared/fixtures/reference-posting.json,
 * "page"), worked back through the rules analytics publishes (README "Numbers the read side
 * computes", apps/analytics/src/contributions/insights.util.ts). Every report has a fixed id, so
 * seeding again counts nothing twice.
 *
 * Salaries. The seed's example row is Junior/L3 Anti-Fraud Data Analyst: 3 reports, median total
 * $143,750, median base $125,000, 25th–75th percentile of totals $126.5k–$163.3k. With three
 * sorted totals a ≤ b ≤ c and linear interpolation: p50 = b = 143,750; p25 = a + (b − a)/2 =
 * 126,500, so a = 109,250; p75 = b + (c − b)/2 = 163,300, so c = 182,850. The median base must be
 * 125,000 while the median total is 143,750, so the middle report has 18,750 on top of its base:
 * a bonus. That is the one figure of the row that can't be the seed's: its bonus shows null, but a
 * total above the base needs a stock or bonus part, and the median bonus over the one report that
 * states it is $18,750 (stock stays null, as in the seed). 49 more reports at other levels and
 * titles make the company's 52 data points.
 *
 * Reviews. Ratings are 1–5 in half steps, so the mean of three is a multiple of 1/6:
 * work-life balance 4.5/3 = 1.5, compensation 6/3 = 2.0, culture 3.5/3 = 1.17 → 1.2, career
 * 5.5/3 = 1.83 → 1.8 and management 3/3 = 1.0 are the seed's exactly. Overall 3.1 lies between
 * 18/6 = 3.0 and 19/6 = 3.17 → 3.2, both 0.1 away; 3.2 is taken (the mean itself, 3.17, is the
 * closer of the two to 3.1). The recommend share of three reviewers is 0, 33, 67 or 100 %; 0 % is
 * the closest to the seed's 5 %.
 *
 * Interviews. Difficulty 3, 3, 4, 4 averages 3.5. Durations 18, 22, 34, 38 weeks give the 25th
 * percentile 18 + 0.75·4 = 21 and the 75th 34 + 0.25·4 = 35. One neutral and three negative
 * experiences are 0/25/75 %. Steps and question categories are reported like a funnel (every
 * candidate reached the first steps, fewer the later ones), so ranking by frequency, ties in the
 * order first seen, gives the seed's seven steps and five categories in its order.
 */

export interface ReferenceContributions {
  salaries: Record<string, unknown>[];
  reviews: Record<string, unknown>[];
  interviews: Record<string, unknown>[];
}

export const REFERENCE_SALARY_ROW = { level: 'Junior/L3', title: 'Anti-Fraud Data Analyst' };

const STEPS = ['Application Review', 'Recruiter Screen', 'Online Assessment', 'Technical Phone Screen', 'Onsite/Virtual Interviews', 'Team Matching', 'Offer'];
const QUESTIONS = ['Coding/Algorithm', 'System Design', 'Behavioral/STAR', 'Technical Knowledge', 'Data Structures'];

/** Other roles at the company: [level, title, reports, base of the first report]; 49 reports in all. */
const OTHER_ROLES: [string, string, number, number][] = [
  ['Mid/L4', 'Software Engineer', 9, 168_000],
  ['Senior/L5', 'Software Engineer', 8, 212_000],
  ['Junior/L3', 'Software Engineer', 7, 132_000],
  ['Mid/L4', 'Data Scientist', 7, 158_000],
  ['Senior/L5', 'Machine Learning Engineer', 6, 225_000],
  ['Mid/L4', 'Product Manager', 5, 171_000],
  ['Intern', 'Backend Engineer Intern', 4, 62_000],
  ['Staff/L6', 'Software Engineer', 3, 265_000],
];

export function referenceContributions(companyId: string): ReferenceContributions {
  const salary = (n: number, level: string, title: string, baseSalary: number, extra: { stockPerYear?: number; bonus?: number }, yearsOfExperience: number) => ({
    reportId: `${companyId}-salary-${String(n).padStart(3, '0')}`,
    level,
    title,
    location: 'Singapore',
    baseSalary,
    ...extra,
    currency: 'USD',
    yearsOfExperience,
    source: n % 3 === 0 ? 'offer' : 'current-employee',
  });
  const salaries = [
    salary(1, REFERENCE_SALARY_ROW.level, REFERENCE_SALARY_ROW.title, 109_250, {}, 1),
    salary(2, REFERENCE_SALARY_ROW.level, REFERENCE_SALARY_ROW.title, 125_000, { bonus: 18_750 }, 2),
    salary(3, REFERENCE_SALARY_ROW.level, REFERENCE_SALARY_ROW.title, 182_850, {}, 3),
  ];
  let n = salaries.length;
  for (const [level, title, reports, base] of OTHER_ROLES) {
    for (let i = 0; i < reports; i++) {
      // Spread deterministically around the role's base: ±8 % in steps, stock and bonus for most.
      const baseSalary = Math.round((base * (0.92 + (0.16 * i) / Math.max(1, reports - 1))) / 500) * 500;
      const extra = level === 'Intern' ? {} : { stockPerYear: Math.round((baseSalary * (0.15 + 0.02 * (i % 4))) / 500) * 500, bonus: Math.round((baseSalary * 0.1) / 500) * 500 };
      salaries.push(salary(++n, level, title, baseSalary, extra, level === 'Intern' ? 0 : 1 + (i % 6)));
    }
  }

  const review = (n: number, r: { overall: number; workLifeBalance: number; compensation: number; culture: number; career: number; management: number }, pros: string, cons: string) => ({
    reviewId: `${companyId}-review-${n}`,
    ...r,
    recommendToFriend: false,
    pros,
    cons,
  });
  const reviews = [
    review(1, { overall: 3.5, workLifeBalance: 1.5, compensation: 2, culture: 1, career: 2, management: 1 }, 'Huge scale and interesting recommendation problems.', 'Long hours across time zones; priorities change weekly.'),
    review(2, { overall: 3, workLifeBalance: 1.5, compensation: 2, culture: 1, career: 1.5, management: 1 }, 'Smart colleagues, fast shipping.', 'Little work-life balance; unclear career path.'),
    review(3, { overall: 3, workLifeBalance: 1.5, compensation: 2, culture: 1.5, career: 2, management: 1 }, 'You learn a lot in a short time.', 'Management is top-down; frequent reorganisations.'),
  ];

  const interview = (n: number, difficulty: number, durationWeeks: number, experience: string, steps: number, questions: number) => ({
    reportId: `${companyId}-interview-${n}`,
    difficulty,
    durationWeeks,
    experience,
    steps: STEPS.slice(0, steps),
    questionCategories: QUESTIONS.slice(0, questions),
    outcome: steps === STEPS.length ? 'offer' : 'no-offer',
  });
  // Step counts 4, 4, 4, 4, 3, 2, 1 and question counts 4, 3, 3, 2, 1: non-increasing in the seed's order.
  const interviews = [
    interview(1, 3, 34, 'neutral', 7, 5),
    interview(2, 4, 38, 'negative', 6, 4),
    interview(3, 3, 18, 'negative', 5, 3),
    interview(4, 4, 22, 'negative', 4, 1),
  ];
  return { salaries, reviews, interviews };
}
