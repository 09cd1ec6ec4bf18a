import { Type, type Static } from '@sinclair/typebox';
import { HiringTeamMember, Id, PostingContentFields } from '@jobstream/contracts';

const HiringTeam = Type.Array(HiringTeamMember, {
  maxItems: 20,
  description: 'Recruiters who receive applicant emails. Never published on public topics or read APIs.',
});

/** POST /v1/postings: a new posting, or the same (companyId, externalId) again from a retrying ATS. */
export const CreatePostingInput = Type.Object(
  {
    companyId: Id('Company the posting belongs to'),
    externalId: Id('Your ATS id for the posting, unique per company; sending it again returns the same posting'),
    status: Type.Optional(Type.Union([Type.Literal('draft'), Type.Literal('published')], { default: 'published', description: 'Create as draft or published (default)' })),
    hiringTeam: Type.Optional(HiringTeam),
    ...PostingContentFields,
  },
  { additionalProperties: false, $id: 'CreatePostingInput' },
);
export type CreatePostingInput = Static<typeof CreatePostingInput>;

/** PATCH /v1/postings/:id: the fields given replace the stored ones. */
export const UpdatePostingInput = Type.Partial(
  Type.Object({ hiringTeam: HiringTeam, ...PostingContentFields }),
  { additionalProperties: false, minProperties: 1, $id: 'UpdatePostingInput' },
);

/** POST /v1/postings/batch: an ATS feed. Items are validated one by one so one bad item fails alone. */
export const BATCH_LIMIT = 500;
export const BatchPostingsInput = Type.Object(
  { postings: Type.Array(Type.Unknown(), { minItems: 1, maxItems: BATCH_LIMIT, description: `Up to ${BATCH_LIMIT} postings, each as for POST /v1/postings` }) },
  { additionalProperties: false, $id: 'BatchPostingsInput' },
);
export type BatchPostingsInput = Static<typeof BatchPostingsInput>;

export const PostingIdParam = Id('posting id');
