import type { FilterQuery, SortOrder } from 'mongoose';

/** Lower-cased words of a text, accents folded: what keyword search matches on. */
export function tokenize(text: string): string[] {
  const words = text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}+#]+/u)
    .filter((w) => w.length > 0 && w.length <= 40);
  return [...new Set(words)];
}

/** One normalised key for exact-match filters (locations, skills). */
export const keyOf = (value: string) => tokenize(value).join(' ');

export type SortKind = 'recent' | 'trending';

export interface SearchQuery {
  q?: string;
  location?: string;
  workplaceType?: string;
  employmentType?: string;
  skills?: string[];
  companyId?: string;
  postedAfter?: Date;
  sort: SortKind;
  limit: number;
  cursor?: Cursor;
}

/** Where the previous page ended, in the sort's own keys, with the id as the final tie-breaker. */
export type Cursor = { sort: 'recent'; postedAt: string; id: string } | { sort: 'trending'; score: number; postedAt: string; id: string };

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

export function decodeCursor(raw: string, sort: SortKind): Cursor | undefined {
  try {
    const c = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (c.sort !== sort || typeof c.id !== 'string' || typeof c.postedAt !== 'string' || Number.isNaN(Date.parse(c.postedAt))) return undefined;
    if (sort === 'trending') return typeof c.score === 'number' && Number.isFinite(c.score) ? (c as unknown as Cursor) : undefined;
    return c as unknown as Cursor;
  } catch {
    return undefined;
  }
}

export interface SearchableDoc {
  _id: string;
  postedAt: Date;
  trendingScore: number;
}

export const sortOf = (sort: SortKind): Record<string, SortOrder> =>
  sort === 'trending' ? { trendingScore: -1, postedAt: -1, _id: -1 } : { postedAt: -1, _id: -1 };

/** The filter of a search page: only published postings, every criterion ANDed, after the cursor. */
export function searchFilter(query: SearchQuery): FilterQuery<SearchableDoc> {
  const and: FilterQuery<SearchableDoc>[] = [{ status: 'published' }];
  const tokens = query.q ? tokenize(query.q) : [];
  if (tokens.length > 0) and.push({ searchTokens: { $all: tokens } });
  if (query.location) and.push({ locationKey: keyOf(query.location) });
  if (query.workplaceType) and.push({ workplaceType: query.workplaceType });
  if (query.employmentType) and.push({ employmentType: query.employmentType });
  if (query.skills && query.skills.length > 0) and.push({ skillKeys: { $all: query.skills.map(keyOf) } });
  if (query.companyId) and.push({ companyId: query.companyId });
  if (query.postedAfter) and.push({ postedAt: { $gte: query.postedAfter } });
  const c = query.cursor;
  if (c) {
    const postedAt = new Date(c.postedAt);
    const afterByDate: FilterQuery<SearchableDoc>[] = [{ postedAt: { $lt: postedAt } }, { postedAt, _id: { $lt: c.id } }];
    and.push(
      c.sort === 'trending'
        ? { $or: [{ trendingScore: { $lt: c.score } }, ...afterByDate.map((f) => ({ trendingScore: c.score, ...f }))] }
        : { $or: afterByDate },
    );
  }
  return and.length === 1 ? and[0] : { $and: and };
}

export function cursorAfter(doc: SearchableDoc, sort: SortKind): string {
  const postedAt = doc.postedAt.toISOString();
  return encodeCursor(sort === 'trending' ? { sort, score: doc.trendingScore, postedAt, id: doc._id } : { sort, postedAt, id: doc._id });
}
