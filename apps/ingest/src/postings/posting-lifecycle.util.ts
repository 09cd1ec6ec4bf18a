import { PostingContentFields, type PostingSnapshot, type PostingStatus } from '@jobstream/contracts';

export const CONTENT_FIELDS = Object.keys(PostingContentFields) as (keyof typeof PostingContentFields)[];

export type PostingContent = Pick<PostingSnapshot, (typeof CONTENT_FIELDS)[number]>;
export interface HiringTeamMember {
  name: string;
  email: string;
}

/** The command side's view of one posting: everything needed to decide the next event. */
export interface PostingState {
  postingId: string;
  companyId: string;
  externalId: string;
  revision: number;
  status: PostingStatus;
  content: PostingContent;
  hiringTeam: HiringTeamMember[];
  postedAt?: string;
  closedAt?: string;
}

export type PostingCommand =
  | { kind: 'create'; postingId: string; companyId: string; externalId: string; status: 'draft' | 'published'; content: PostingContent; hiringTeam: HiringTeamMember[] }
  | { kind: 'update'; patch: Partial<PostingContent>; hiringTeam?: HiringTeamMember[] }
  | { kind: 'publish' }
  | { kind: 'close' }
  | { kind: 'expire' };

export type PostingEventType = 'posting.published' | 'posting.updated' | 'posting.closed' | 'posting.expired';

export type Decision =
  | { outcome: 'unchanged'; state: PostingState }
  | { outcome: 'conflict'; message: string }
  | { outcome: 'change'; next: PostingState; eventType: PostingEventType; hiringTeamChanged: boolean };

/** JSON with sorted keys, so equal content compares equal whatever the field order. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function pickContent(input: Record<string, unknown>): PostingContent {
  const out: Record<string, unknown> = {};
  for (const field of CONTENT_FIELDS) if (input[field] !== undefined) out[field] = input[field];
  return out as unknown as PostingContent;
}

const isFinal = (status: PostingStatus) => status === 'closed' || status === 'expired';

/**
 * The posting state machine: draft → published → closed | expired. Closed and expired are final.
 * Repeating a command that changes nothing is `unchanged` (an ATS retry), never a new revision.
 */
export function decide(current: PostingState | null, command: PostingCommand, now: Date): Decision {
  const at = now.toISOString();
  if (command.kind === 'create') {
    if (!current) {
      const next: PostingState = {
        postingId: command.postingId,
        companyId: command.companyId,
        externalId: command.externalId,
        revision: 1,
        status: command.status,
        content: command.content,
        hiringTeam: command.hiringTeam,
        ...(command.status === 'published' ? { postedAt: at } : {}),
      };
      return { outcome: 'change', next, eventType: command.status === 'published' ? 'posting.published' : 'posting.updated', hiringTeamChanged: true };
    }
    // The same externalId again: apply it as a full replacement of the content (an ATS feed re-sends everything).
    const sameContent = canonical(current.content) === canonical(command.content);
    const sameTeam = canonical(current.hiringTeam) === canonical(command.hiringTeam);
    const wantsPublish = command.status === 'published' && current.status === 'draft';
    if (sameContent && sameTeam && !wantsPublish && !(command.status === 'draft' && current.status === 'published')) return { outcome: 'unchanged', state: current };
    if (isFinal(current.status)) return { outcome: 'conflict', message: `Posting ${current.postingId} is ${current.status} and can't change` };
    if (command.status === 'draft' && current.status === 'published') return { outcome: 'conflict', message: `Posting ${current.postingId} is published and can't go back to draft` };
    const next: PostingState = {
      ...current,
      revision: current.revision + 1,
      content: command.content,
      hiringTeam: command.hiringTeam,
      ...(wantsPublish ? { status: 'published' as const, postedAt: at } : {}),
    };
    return { outcome: 'change', next, eventType: wantsPublish ? 'posting.published' : 'posting.updated', hiringTeamChanged: !sameTeam };
  }
  if (!current) return { outcome: 'conflict', message: 'No such posting' };
  switch (command.kind) {
    case 'update': {
      if (isFinal(current.status)) return { outcome: 'conflict', message: `Posting ${current.postingId} is ${current.status} and can't be updated` };
      const content = pickContent({ ...current.content, ...command.patch });
      const hiringTeam = command.hiringTeam ?? current.hiringTeam;
      const teamChanged = canonical(hiringTeam) !== canonical(current.hiringTeam);
      if (canonical(content) === canonical(current.content) && !teamChanged) return { outcome: 'unchanged', state: current };
      return { outcome: 'change', next: { ...current, revision: current.revision + 1, content, hiringTeam }, eventType: 'posting.updated', hiringTeamChanged: teamChanged };
    }
    case 'publish':
      if (current.status === 'published') return { outcome: 'unchanged', state: current };
      if (isFinal(current.status)) return { outcome: 'conflict', message: `Posting ${current.postingId} is ${current.status} and can't be published again` };
      return { outcome: 'change', next: { ...current, revision: current.revision + 1, status: 'published', postedAt: at }, eventType: 'posting.published', hiringTeamChanged: false };
    case 'close':
      if (current.status === 'closed') return { outcome: 'unchanged', state: current };
      if (current.status === 'expired') return { outcome: 'conflict', message: `Posting ${current.postingId} already expired` };
      return { outcome: 'change', next: { ...current, revision: current.revision + 1, status: 'closed', closedAt: at }, eventType: 'posting.closed', hiringTeamChanged: false };
    case 'expire':
      if (current.status !== 'published' && current.status !== 'draft') return { outcome: 'unchanged', state: current };
      return { outcome: 'change', next: { ...current, revision: current.revision + 1, status: 'expired', closedAt: at }, eventType: 'posting.expired', hiringTeamChanged: false };
  }
}

/** The public snapshot carried by posting events: everything but the hiring team. */
export function toSnapshot(state: PostingState): PostingSnapshot {
  return {
    postingId: state.postingId,
    companyId: state.companyId,
    externalId: state.externalId,
    revision: state.revision,
    status: state.status,
    ...(state.postedAt ? { postedAt: state.postedAt } : {}),
    ...(state.closedAt ? { closedAt: state.closedAt } : {}),
    ...state.content,
  };
}
