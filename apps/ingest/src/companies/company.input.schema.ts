import { Type, type Static } from '@sinclair/typebox';
import { CompanyProfileFields, Id } from '@jobstream/contracts';

/** What POST /v1/companies accepts: the event's profile, strictly (unknown fields are a 400). */
export const CompanyInput = Type.Object(
  {
    companyId: Type.Optional(Id('Your id for the company; generated when absent. Posting the same id again updates it.')),
    ...CompanyProfileFields,
  },
  { additionalProperties: false, $id: 'CompanyInput' },
);
export type CompanyInput = Static<typeof CompanyInput>;
