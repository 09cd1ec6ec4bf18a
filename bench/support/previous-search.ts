import type { FilterQuery, SortOrder } from 'mongoose';
import type { PostingSnapshot } from '@jobstream/contracts';
import { keyOf, tokenize } from '../../apps/listings/src/search/text.util';

/**
 * The search path listings had before OpenSearch, kept only as the bench's comparison row: posting
 * documents with indexed token arrays in the document store, searched with $all and sorted by date
 * or trending score. On FerretDB every such query reads and sorts the whole collection.
 */
export type SortKind = 'recent' | 'trending';

export interface SearchQuery {
  q?: string;
  location?: string;
  workplaceType?: string;
  employmentType?: string;
  skills?: string[];
  sort: SortKind;
  limit: number;
}

interface SearchableDoc {
  _id: string;
  postedAt: Date;
  trendingScore: number;
}

export const sortOf = (sort: SortKind): Record<string, SortOrder> =>
  sort === 'trending' ? { trendingScore: -1, postedAt: -1, _id: -1 } : { postedAt: -1, _id: -1 };

/** The filter of a search page: only published postings, every criterion ANDed. */
export function searchFilter(query: SearchQuery): FilterQuery<SearchableDoc> {
  const and: FilterQuery<SearchableDoc>[] = [{ status: 'published' }];
  const tokens = query.q ? tokenize(query.q) : [];
  if (tokens.length > 0) and.push({ searchTokens: { $all: tokens } });
  if (query.location) and.push({ locationKey: keyOf(query.location) });
  if (query.workplaceType) and.push({ workplaceType: query.workplaceType });
  if (query.employmentType) and.push({ employmentType: query.employmentType });
  if (query.skills && query.skills.length > 0) and.push({ skillKeys: { $all: query.skills.map(keyOf) } });
  return and.length === 1 ? and[0] : { $and: and };
}

/** The searchable document the previous path stored per posting. */
export function previousSearchDocument(s: PostingSnapshot, occurredAt: string, companyName: string | undefined, trendingScore: number): Record<string, unknown> {
  return {
    _id: s.postingId,
    snapshot: s,
    revision: s.revision,
    companyId: s.companyId,
    status: s.status,
    updatedAt: new Date(occurredAt),
    locationKey: keyOf(s.location),
    workplaceType: s.workplaceType,
    employmentType: s.employmentType,
    skillKeys: (s.requiredSkills ?? []).map(keyOf),
    searchTokens: [...new Set([...tokenize(s.title), ...(s.requiredSkills ?? []).flatMap(tokenize), ...(companyName ? tokenize(companyName) : [])])],
    ...(companyName ? { companyName } : {}),
    postedAt: new Date(s.postedAt ?? 0),
    trendingScore,
  };
}

/** Indexes the previous path created (FerretDB ignores them for these queries; MongoDB would use them). */
export const PREVIOUS_SEARCH_INDEXES: Record<string, 1 | -1>[] = [
  { status: 1, postedAt: -1, _id: -1 },
  { status: 1, trendingScore: -1, postedAt: -1, _id: -1 },
  { searchTokens: 1 },
  { skillKeys: 1 },
  { locationKey: 1 },
];
