import { Type, type Static } from '@sinclair/typebox';
import { Id, InterviewReportFields, ReviewFields, SalaryReportFields } from '@jobstream/contracts';

/**
 * What the contribution routes accept: the event's fields minus the company (it is in the path),
 * strictly. An optional client-chosen id makes a retried POST idempotent downstream.
 */
const withoutCompany = <F extends { companyId: unknown }>(fields: F): Omit<F, 'companyId'> => {
  const { companyId: _companyId, ...rest } = fields;
  return rest;
};

export const SalaryInput = Type.Object(
  { reportId: Type.Optional(Id('Your id for the report; generated when absent. Re-sending the same id counts once.')), ...withoutCompany(SalaryReportFields) },
  { additionalProperties: false, $id: 'SalaryInput' },
);
export type SalaryInput = Static<typeof SalaryInput>;

export const ReviewInput = Type.Object(
  { reviewId: Type.Optional(Id('Your id for the review; generated when absent. Re-sending the same id counts once.')), ...withoutCompany(ReviewFields) },
  { additionalProperties: false, $id: 'ReviewInput' },
);
export type ReviewInput = Static<typeof ReviewInput>;

export const InterviewInput = Type.Object(
  { reportId: Type.Optional(Id('Your id for the report; generated when absent. Re-sending the same id counts once.')), ...withoutCompany(InterviewReportFields) },
  { additionalProperties: false, $id: 'InterviewInput' },
);
export type InterviewInput = Static<typeof InterviewInput>;
