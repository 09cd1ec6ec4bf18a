import type { EventData, EventType } from './catalog';
import { SCHEMA_VERSION, type EventEnvelope } from './envelope';
import { topicOf } from './catalog';

/**
 * One realistic value per event type, published as the AsyncAPI examples. Typed by the catalog so
 * a schema change that breaks one fails to compile, and documents.spec validates each against the
 * published schema, so an outsider can copy them into a consumer's test fixtures.
 */
const company = 'acme-robotics';
const posting = 'pst-01J9ZC3M7Q';
const candidate = 'cand-5f2a9c81e0b4';
const applicant = {
  name: 'Ana Silva',
  email: 'ana.silva@example.com',
  phone: '+351 912 345 678',
  resumeUrl: 'https://files.example.com/resumes/ana-silva.pdf',
  coverNote: 'Five years building warehouse robot fleets; happy to relocate.',
};
const snapshot = {
  postingId: posting,
  companyId: company,
  externalId: 'greenhouse-48213',
  revision: 1,
  status: 'published' as const,
  postedAt: '2026-11-02T09:15:00.000Z',
  title: 'Senior Backend Engineer, Fleet Platform',
  team: 'Fleet Platform',
  location: 'Lisbon, Portugal',
  workplaceType: 'hybrid' as const,
  employmentType: 'full-time' as const,
  benefits: ['Private health insurance', '25 days of paid leave'],
  perkTags: ['Stock options', 'Relocation'],
  requiredSkills: ['TypeScript', 'Kafka', 'PostgreSQL'],
  description: 'The Fleet Platform team runs the services that coordinate 4,000 warehouse robots in real time.',
  responsibilities: ['Design event-driven services for robot telemetry', 'Own on-call for the fleet scheduler'],
  minimumQualifications: ['5+ years building backend services in production'],
  payRange: { min: 70000, max: 95000, currency: 'EUR', interval: 'year' as const },
  expiresAt: '2026-12-31T23:59:59.000Z',
};
const group = { id: 'acme-group', name: 'Acme and its affiliates' };
const applicationPolicy = { maxApplicationsPerCandidate: 2, scope: 'group' as const, consideredInOrderApplied: true };
const outcome = {
  applicationId: 'app-01J9ZD0V2K',
  candidateId: candidate,
  postingId: posting,
  companyId: company,
  postingTitle: snapshot.title,
  companyName: 'Acme Robotics',
  applicant,
  decidedAt: '2026-11-03T10:02:11.000Z',
};
const engagement = { postingId: posting, viewerId: 'v-8c1e42d97a' };
const breakdown = {
  level: 'Senior/L5',
  title: 'Backend Engineer',
  reports: 12,
  currency: 'EUR',
  medianTotal: 98000,
  rangeTotal: [88000, 112000] as [number, number],
  medianBase: 85000,
  medianStock: 9000,
  medianBonus: 4000,
};

export const EventExamples: { readonly [T in EventType]: EventData<T> } = {
  'company.upserted': {
    companyId: company,
    name: 'Acme Robotics',
    description: 'Warehouse automation: robots, fleet software and the people who keep them moving.',
    stage: 'Late Stage',
    employeeRange: '1,001-5,000',
    headquarters: 'Lisbon',
    valuationUsd: 2400000000,
    group,
    applicationPolicy,
  },
  'posting.published': snapshot,
  'posting.updated': { ...snapshot, revision: 2, title: 'Staff Backend Engineer, Fleet Platform' },
  'posting.closed': { ...snapshot, revision: 3, status: 'closed', closedAt: '2026-11-20T17:00:00.000Z' },
  'posting.expired': { ...snapshot, revision: 4, status: 'expired', closedAt: '2026-12-31T23:59:59.000Z' },
  'hiring-team.updated': {
    postingId: posting,
    companyId: company,
    revision: 1,
    postingTitle: snapshot.title,
    members: [{ name: 'Rui Costa', email: 'rui.costa@acme-robotics.example' }],
  },
  'posting.viewed': engagement,
  'posting.apply-clicked': engagement,
  'posting.scrapped': engagement,
  'posting.unscrapped': engagement,
  'posting.mock-applied': engagement,
  'salary.reported': {
    reportId: 'sal-01J9ZE4T8N',
    companyId: company,
    level: 'Senior/L5',
    title: 'Backend Engineer',
    location: 'Lisbon',
    baseSalary: 85000,
    stockPerYear: 9000,
    bonus: 4000,
    currency: 'EUR',
    yearsOfExperience: 7,
    source: 'current-employee',
  },
  'review.submitted': {
    reviewId: 'rev-01J9ZE6B1C',
    companyId: company,
    overall: 4,
    workLifeBalance: 3.5,
    compensation: 4,
    culture: 4.5,
    career: 4,
    management: 3.5,
    recommendToFriend: true,
    pros: 'Hard problems, kind colleagues, real robots on the floor.',
    cons: 'On-call gets busy around peak season.',
  },
  'interview.reported': {
    reportId: 'int-01J9ZE8D3F',
    companyId: company,
    difficulty: 3,
    durationWeeks: 4,
    experience: 'positive',
    steps: ['Recruiter Screen', 'Technical Interview', 'System Design', 'Hiring Manager'],
    questionCategories: ['System Design', 'Distributed Systems'],
    outcome: 'offer',
  },
  'application.submitted': {
    applicationId: outcome.applicationId,
    candidateId: candidate,
    postingId: posting,
    applicant,
    receiptTokenHash: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
    submittedAt: '2026-11-03T10:02:09.000Z',
    posting: { revision: 1, companyId: company, title: snapshot.title },
    company: { version: '019a4a6e-3c10-7b2e-9d4f-5e6a7b8c9d0e', name: 'Acme Robotics', group, applicationPolicy },
  },
  'application.accepted': outcome,
  'application.rejected': { ...outcome, reason: 'LIMIT_REACHED', detail: 'Applied to 2 postings of Acme and its affiliates already' },
  'posting-stats.updated': {
    postingId: posting,
    companyId: company,
    totalViews: 1840,
    uniqueViewers: 1312,
    applyClicks: 97,
    scraps: 41,
    mockApplicants: 12,
    trendingScore: 37.5,
    daily: [{ date: '2026-11-02', views: 610, applyClicks: 31, scraps: 14, mockApplicants: 4 }],
    updatedAt: '2026-11-03T00:05:00.000Z',
  },
  'company-insights.updated': {
    companyId: company,
    salaries: { dataPoints: 12, overall: breakdown, byRole: [breakdown] },
    reviews: { count: 9, overall: 4.1, workLifeBalance: 3.6, compensation: 4, culture: 4.3, career: 3.9, management: 3.5, recommendToFriendPercent: 78 },
    interviews: {
      count: 5,
      difficulty: 3.2,
      durationWeeks: [3, 5],
      experiencePercent: { positive: 60, neutral: 20, negative: 20 },
      process: ['Recruiter Screen', 'Technical Interview'],
      commonQuestions: ['System Design'],
    },
    trendingScore: 12.25,
    updatedAt: '2026-11-03T00:05:00.000Z',
  },
};

/** The example as a whole Kafka value: a fixed id and time so the generated document is stable. */
export function exampleEvent<T extends EventType>(type: T): EventEnvelope<T> {
  const data = EventExamples[type];
  return {
    id: '019a4b2c-7d1e-7f3a-8b4c-2d5e6f7a8b9c',
    type,
    schemaVersion: SCHEMA_VERSION,
    occurredAt: '2026-11-03T10:02:11.000Z',
    source: type.startsWith('application.') && type !== 'application.submitted' ? 'listings' : /stats|insights/.test(type) ? 'analytics' : 'ingest',
    key: String((data as Record<string, unknown>)[topicOf(type).keyField]),
    data,
  };
}
