import { Type, type Static } from '@sinclair/typebox';
import { Applicant } from '@jobstream/contracts';

/** What POST /v1/postings/:id/applications accepts: exactly the applicant of the event (unknown fields are a 400). */
export const ApplicationInput = Type.Object(Applicant.properties, { additionalProperties: false, $id: 'ApplicationInput' });
export type ApplicationInput = Static<typeof ApplicationInput>;
