import { Type, type TSchema } from '@sinclair/typebox';
import { DailyPoint, Id, InterviewSummary, NonNegativeInt, Nullable, ReviewSummary, SalarySummary } from '@jobstream/contracts';

/** Bodies of analytics' 2xx answers, for the OpenAPI document (the handlers' return types, as schemas). */
const props = (schema: TSchema) => (schema as unknown as { properties: Record<string, TSchema> }).properties;
const companyId = Id('Company id');

export const TrendingPostingsSchema = Type.Object({
  items: Type.Array(Type.Object({ postingId: Id('Posting id'), companyId: Id('Company id'), title: Type.String(), score: Type.Number({ minimum: 0, description: 'Decayed engagement score now' }) })),
});

export const TrendingCompaniesSchema = Type.Object({
  items: Type.Array(Type.Object({ companyId, name: Nullable(Type.String({ description: 'Null until the profile has arrived' })), score: Type.Number({ minimum: 0 }) })),
});

export const SalariesSchema = Type.Object({ companyId, ...props(SalarySummary) });

export const InterviewsSchema = Type.Object({ companyId, ...props(InterviewSummary) });

const Rating = Type.Number({ minimum: 1, maximum: 5 });
export const ReviewsSchema = Type.Object({
  companyId,
  summary: ReviewSummary,
  reviews: Type.Array(
    Type.Object({
      reviewId: Id('Review id'),
      companyId,
      submittedAt: Type.String({ format: 'date-time' }),
      overall: Rating,
      workLifeBalance: Rating,
      compensation: Rating,
      culture: Rating,
      career: Rating,
      management: Rating,
      recommendToFriend: Type.Boolean(),
      pros: Type.String(),
      cons: Type.String(),
    }),
  ),
  nextCursor: Nullable(Type.String({ description: 'Pass as cursor for the next page; null on the last' })),
});

export const PostingCountersSchema = Type.Object({
  postingId: Id('Posting id'),
  companyId: Type.Optional(companyId),
  totalViews: NonNegativeInt('All views'),
  uniqueViewers: NonNegativeInt('Distinct viewers (HyperLogLog estimate)'),
  applyClicks: NonNegativeInt('Apply clicks'),
  scraps: NonNegativeInt('Current bookmarks'),
  mockApplicants: NonNegativeInt('Distinct mock applicants'),
  trendingScore: Type.Number({ minimum: 0 }),
  daily: Type.Array(DailyPoint, { description: 'The last 30 days' }),
});
