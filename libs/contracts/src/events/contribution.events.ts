import { Type, type Static } from '@sinclair/typebox';
import { Currency, Id, Pay, Text, TextList } from '../common.schema';

const Rating = (description: string) =>
  Type.Number({ minimum: 1, maximum: 5, multipleOf: 0.5, description: `${description} (1 to 5 in half steps)` });

export const SalaryReportFields = {
  companyId: Id('Company the salary is at (also the Kafka key)'),
  level: Text(100, 'Level, e.g. "Junior/L3"'),
  title: Text(200, 'Job title'),
  location: Text(200),
  baseSalary: Pay('Base salary per year'),
  stockPerYear: Type.Optional(Pay('Stock grant value per year')),
  bonus: Type.Optional(Pay('Bonus per year')),
  currency: Currency,
  yearsOfExperience: Type.Number({ minimum: 0, maximum: 70 }),
  source: Type.Union([Type.Literal('offer'), Type.Literal('current-employee')]),
};
export const SalaryReported = Type.Object(
  { reportId: Id('Report id'), ...SalaryReportFields },
  { $id: 'salary.reported', title: 'salary.reported', description: 'A salary data point.' },
);
export type SalaryReported = Static<typeof SalaryReported>;

export const ReviewFields = {
  companyId: Id('Company reviewed (also the Kafka key)'),
  overall: Rating('Overall rating'),
  workLifeBalance: Rating('Work-life balance'),
  compensation: Rating('Compensation and benefits'),
  culture: Rating('Culture'),
  career: Rating('Career opportunities'),
  management: Rating('Management'),
  recommendToFriend: Type.Boolean(),
  pros: Text(5000),
  cons: Text(5000),
};
export const ReviewSubmitted = Type.Object(
  { reviewId: Id('Review id'), ...ReviewFields },
  { $id: 'review.submitted', title: 'review.submitted', description: 'A company review.' },
);
export type ReviewSubmitted = Static<typeof ReviewSubmitted>;

export const InterviewReportFields = {
  companyId: Id('Company interviewed at (also the Kafka key)'),
  difficulty: Type.Integer({ minimum: 1, maximum: 5 }),
  durationWeeks: Type.Number({ minimum: 0, maximum: 104 }),
  experience: Type.Union([Type.Literal('positive'), Type.Literal('neutral'), Type.Literal('negative')]),
  steps: TextList(20, 100, 'Interview steps in order, e.g. "Recruiter Screen"'),
  questionCategories: TextList(20, 100, 'e.g. "System Design"'),
  outcome: Type.Union([Type.Literal('offer'), Type.Literal('no-offer'), Type.Literal('pending'), Type.Literal('declined')]),
};
export const InterviewReported = Type.Object(
  { reportId: Id('Report id'), ...InterviewReportFields },
  { $id: 'interview.reported', title: 'interview.reported', description: 'An interview experience.' },
);
export type InterviewReported = Static<typeof InterviewReported>;
