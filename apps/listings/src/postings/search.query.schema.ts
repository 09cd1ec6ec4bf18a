import { Type, type Static } from '@sinclair/typebox';
import { EmploymentType, Id, WorkplaceType } from '@jobstream/contracts';

export const MAX_LIMIT = 100;

/** GET /v1/postings query. Every value is a plain string, so operator objects (`q[$gt]=`) are refused. */
export const SearchQueryInput = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200, description: 'Keywords matched against title, skills, company name and description, each with typo tolerance (all must match); ranked by BM25 relevance' })),
    location: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'City or region, case-insensitive' })),
    workplaceType: Type.Optional(WorkplaceType),
    employmentType: Type.Optional(EmploymentType),
    skills: Type.Optional(Type.String({ minLength: 1, maxLength: 500, description: 'Comma-separated skills; postings must require all of them' })),
    companyId: Type.Optional(Id('Only this company\'s postings')),
    postedAfter: Type.Optional(Type.String({ format: 'date-time', description: 'Only postings posted at or after this instant' })),
    sort: Type.Optional(Type.Union([Type.Literal('relevance'), Type.Literal('recent'), Type.Literal('trending')], { description: 'relevance (the default when q is given), recent (the default otherwise) or trending' })),
    limit: Type.Optional(Type.String({ pattern: '^(100|[1-9][0-9]?)$', description: `Page size, 1 to ${MAX_LIMIT} (default 20)` })),
    cursor: Type.Optional(Type.String({ maxLength: 2000, pattern: '^[A-Za-z0-9_-]+$', description: 'nextCursor of the previous page' })),
  },
  { additionalProperties: false, $id: 'SearchQuery' },
);
export type SearchQueryInput = Static<typeof SearchQueryInput>;

/** GET /v1/postings/:id/similar query. */
export const SimilarQueryInput = Type.Object(
  { limit: Type.Optional(Type.String({ pattern: '^([1-9]|1[0-9]|20)$', description: 'How many similar postings, 1 to 20 (default 5)' })) },
  { additionalProperties: false, $id: 'SimilarQuery' },
);
export type SimilarQueryInput = Static<typeof SimilarQueryInput>;
