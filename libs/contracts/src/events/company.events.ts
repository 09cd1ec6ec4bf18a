import { Type, type Static } from '@sinclair/typebox';
import { Id, Text } from '../common.schema';

export const ApplicationPolicy = Type.Object(
  {
    maxApplicationsPerCandidate: Type.Integer({
      minimum: 1,
      maximum: 1000,
      description: 'How many postings one candidate may apply to within the scope',
    }),
    scope: Type.Union([Type.Literal('company'), Type.Literal('group')], {
      description: "'group' counts applications across the company's whole group of affiliates",
    }),
    consideredInOrderApplied: Type.Boolean({
      description: 'Applications are decided in the order they were submitted',
    }),
  },
  { $id: 'ApplicationPolicy', additionalProperties: false },
);
export type ApplicationPolicy = Static<typeof ApplicationPolicy>;

export const CompanyGroup = Type.Object(
  {
    id: Id('Stable id of the group of affiliates (the application limit is counted per group)'),
    name: Text(200, 'Display name, e.g. "TikTok and its affiliates"'),
  },
  { additionalProperties: false },
);

/** The fields a recruiter sends; shared by the HTTP body and the event so they can't drift. */
export const CompanyProfileFields = {
  name: Text(200, 'Company name'),
  description: Type.Optional(Text(5000, 'Short description')),
  stage: Type.Optional(Text(100, 'Funding stage, e.g. "Late Stage"')),
  employeeRange: Type.Optional(Text(50, 'Employee range, e.g. "10,001+"')),
  headquarters: Type.Optional(Text(200, 'Headquarters city')),
  valuationUsd: Type.Optional(Type.Number({ minimum: 0, maximum: 1e14, description: 'Latest valuation in USD (at most 100 trillion)' })),
  group: Type.Optional(CompanyGroup),
  applicationPolicy: Type.Optional(ApplicationPolicy),
};

export const CompanyUpserted = Type.Object(
  {
    companyId: Id('Company id (also the Kafka key)'),
    ...CompanyProfileFields,
  },
  {
    $id: 'company.upserted',
    title: 'company.upserted',
    description: 'The full, current profile of a company. The latest event per key wins.',
  },
);
export type CompanyUpserted = Static<typeof CompanyUpserted>;
