import { createEvent, type EventEnvelope, type PostingSnapshot } from '@jobstream/contracts';
import { prng } from './util';

const CITIES = ['Singapore', 'Tokyo', 'Seoul', 'Los Angeles', 'San Francisco', 'New York', 'London', 'Berlin', 'Paris', 'Toronto', 'Sydney', 'Bangalore'];
const ROLES = ['Backend Engineer', 'Frontend Engineer', 'Data Engineer', 'Machine Learning Engineer', 'Site Reliability Engineer', 'Product Designer', 'Product Manager', 'Data Analyst', 'Security Engineer', 'Mobile Engineer'];
const LEVELS = ['Intern', 'Junior', '', 'Senior', 'Staff'];
const SKILLS = ['TypeScript', 'JavaScript', 'React', 'Node.js', 'Go', 'Java', 'Kotlin', 'Python', 'Kafka', 'PostgreSQL', 'MongoDB', 'Kubernetes', 'AWS', 'Figma', 'SQL', 'Rust', 'Swift'];
const TEAMS = ['Platform', 'Growth', 'Payments', 'Search', 'Infrastructure', 'Ads', 'Core'];
const BENEFITS = ['401(k) matching', 'Team events and activities', 'Competitive salary and equity package', 'Parental leave', 'Comprehensive health, dental, and vision insurance'];
const WORKPLACES = ['on-site', 'hybrid', 'remote'] as const;
const EMPLOYMENT = ['full-time', 'full-time', 'full-time', 'contract', 'internship', 'part-time'] as const;

/** Vocabulary of the search queries: words and places the corpus contains. */
export const SEARCH_WORDS = ['engineer', 'backend', 'data', 'senior', 'product', 'security', 'kafka', 'typescript', 'designer', 'mobile'];
export const SEARCH_CITIES = CITIES;

/** The posting fields a recruiter sends (the body of POST /v1/postings, minus ids). Deterministic per index. */
export function postingContent(i: number): Omit<PostingSnapshot, 'postingId' | 'companyId' | 'externalId' | 'revision' | 'status' | 'postedAt' | 'closedAt'> {
  const rand = prng(i + 1);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)];
  const level = pick(LEVELS);
  const role = pick(ROLES);
  const min = 60_000 + Math.round(rand() * 100) * 1000;
  return {
    title: `${level ? `${level} ` : ''}${role}`,
    team: `${pick(TEAMS)} team`,
    location: pick(CITIES),
    workplaceType: pick(WORKPLACES),
    employmentType: level === 'Intern' ? 'internship' : pick(EMPLOYMENT),
    benefits: [...new Set([pick(BENEFITS), pick(BENEFITS), pick(BENEFITS)])],
    perkTags: ['Equity', 'Healthcare'],
    requiredSkills: [...new Set([pick(SKILLS), pick(SKILLS), pick(SKILLS)])],
    description: `As a ${role.toLowerCase()} you will work with a small team on systems used by millions. `.repeat(6).trim(),
    responsibilities: ['Design, build and operate production services.', 'Work with product and design on what to build next.'],
    minimumQualifications: ['Experience with at least one of the required skills.'],
    payRange: { min, max: min + 40_000, currency: 'USD', interval: 'year' },
  };
}

/** A `posting.published` event as ingest publishes it for a new posting (revision 1). */
export function postingPublished(runId: string, i: number, postedAt: Date): EventEnvelope<'posting.published'> {
  const snapshot: PostingSnapshot = {
    postingId: `bench-${runId}-p${i}`,
    companyId: `bench-${runId}-c${i % 50}`,
    externalId: `ext-${i}`,
    revision: 1,
    status: 'published',
    postedAt: postedAt.toISOString(),
    ...postingContent(i),
  };
  return createEvent('posting.published', snapshot, 'bench', { occurredAt: postedAt });
}

export type EngagementType = 'posting.viewed' | 'posting.apply-clicked';

/** Views (80 %) and apply clicks (20 %) over `postings`, each with its own viewer. */
export function engagementEvents(postings: readonly string[], count: number, seed: number): EventEnvelope<EngagementType>[] {
  const rand = prng(seed);
  return Array.from({ length: count }, (_, i) => {
    const postingId = postings[Math.floor(rand() * postings.length)];
    const type: EngagementType = rand() < 0.8 ? 'posting.viewed' : 'posting.apply-clicked';
    return createEvent(type, { postingId, viewerId: `v${seed}-${i}` }, 'bench');
  });
}

