import { Type, type Static } from '@sinclair/typebox';
import { Id, PseudonymousId } from '../common.schema';

const EngagementFields = {
  postingId: Id('Posting id (also the Kafka key)'),
  viewerId: PseudonymousId('Pseudonymous viewer id; never an email'),
};

const engagementEvent = (type: string, description: string) =>
  Type.Object(EngagementFields, { $id: type, title: type, description });

export const PostingViewed = engagementEvent('posting.viewed', 'A viewer opened the posting page.');
export const PostingApplyClicked = engagementEvent('posting.apply-clicked', 'A viewer clicked "apply".');
export const PostingScrapped = engagementEvent('posting.scrapped', 'A viewer bookmarked the posting (idempotent per viewer).');
export const PostingUnscrapped = engagementEvent('posting.unscrapped', 'A viewer removed the bookmark (idempotent per viewer).');
export const PostingMockApplied = engagementEvent('posting.mock-applied', 'A viewer tried a mock application (counted once per viewer).');
export type EngagementData = Static<typeof PostingViewed>;
