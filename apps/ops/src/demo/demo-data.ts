import { referenceCompany } from './reference-company';
import { referenceContributions, type ReferenceContributions } from './reference-contributions';

/** A small deterministic PRNG, so every `seed` loads the same demo data. */
export function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAMES = ['Northwind', 'Globex', 'Initech', 'Umbrella Labs', 'Hooli', 'Vandelay', 'Stark Analytics', 'Wayne Systems', 'Acme Cloud', 'Soylent Data', 'Tyrell AI', 'Cyberdyne', 'Aperture Science', 'Black Mesa', 'Massive Dynamic', 'Pied Piper', 'Dunder Data', 'Oscorp Robotics', 'Wonka Foods', 'Gringotts Pay'];
const STAGES = ['Seed', 'Series A', 'Series B', 'Series C', 'Late Stage', 'Public'];
const SIZES = ['1-10', '11-50', '51-200', '201-500', '501-1,000', '1,001-5,000', '10,001+'];
const CITIES = ['Singapore', 'Tokyo', 'Seoul', 'Los Angeles', 'San Francisco', 'New York', 'London', 'Berlin', 'Paris', 'Toronto', 'Sydney', 'Bangalore'];
const ROLES = ['Backend Engineer', 'Frontend Engineer', 'Data Engineer', 'Machine Learning Engineer', 'Site Reliability Engineer', 'Product Designer', 'Product Manager', 'Data Analyst', 'Security Engineer', 'Mobile Engineer'];
const LEVELS = ['Intern', 'Junior', '', 'Senior', 'Staff'];
const SKILLS = ['TypeScript', 'JavaScript', 'React', 'Node.js', 'Go', 'Java', 'Kotlin', 'Python', 'Kafka', 'PostgreSQL', 'MongoDB', 'Kubernetes', 'AWS', 'Figma', 'SQL', 'Rust', 'Swift'];
const BENEFITS = ['401(k) matching', 'Team events and activities', 'Competitive salary and equity package', 'Parental leave', 'Comprehensive health, dental, and vision insurance', 'Remote work stipend'];
const WORKPLACES = ['on-site', 'hybrid', 'remote'] as const;
const EMPLOYMENT = ['full-time', 'full-time', 'full-time', 'contract', 'internship', 'part-time'] as const;

export interface DemoData {
  companies: Record<string, unknown>[];
  postings: Record<string, unknown>[];
  /** The reference company's salary reports, reviews and interview reports (bodies of ingest's public routes). */
  contributions: ReferenceContributions;
}

export interface DemoOptions {
  /** Appended to every company id (and the reference group id), so a test run seeds its own copy. */
  idSuffix?: string;
}

/** The reference company and posting of the fixture, plus `companies` × `perCompany` realistic others. */
export function demoData(companies = 20, perCompany = 10, options: DemoOptions = {}): DemoData {
  const rand = mulberry32(20261125);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)];
  const some = <T>(list: readonly T[], n: number): T[] => [...new Set(Array.from({ length: n }, () => pick(list)))];
  const suffix = options.idSuffix ?? '';
  const reference = { ...referenceCompany, companyId: `${referenceCompany.companyId}${suffix}`, group: { ...referenceCompany.group, id: `${referenceCompany.group.id}${suffix}` } };
  const outCompanies: Record<string, unknown>[] = [reference];
  const postings: Record<string, unknown>[] = [{ ...referencePosting(), companyId: reference.companyId }];
  for (let c = 0; c < companies; c++) {
    const name = NAMES[c % NAMES.length];
    const companyId = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}${suffix}`;
    const hq = pick(CITIES);
    outCompanies.push({
      companyId,
      name,
      description: `${name} builds software people rely on every day.`,
      stage: pick(STAGES),
      employeeRange: pick(SIZES),
      headquarters: hq,
      valuationUsd: Math.round(rand() * 50) * 100_000_000,
      ...(rand() < 0.3 ? { applicationPolicy: { maxApplicationsPerCandidate: 3, scope: 'company', consideredInOrderApplied: true } } : {}),
    });
    for (let p = 0; p < perCompany; p++) {
      const level = pick(LEVELS);
      const role = pick(ROLES);
      const employmentType = level === 'Intern' ? 'internship' : pick(EMPLOYMENT);
      const min = 60_000 + Math.round(rand() * 100) * 1_000;
      postings.push({
        companyId,
        externalId: `${companyId}-${p + 1}`,
        title: `${level ? `${level} ` : ''}${role}`,
        team: `${pick(['Platform', 'Growth', 'Payments', 'Search', 'Infrastructure', 'Ads', 'Core'])} team`,
        location: rand() < 0.7 ? hq : pick(CITIES),
        workplaceType: pick(WORKPLACES),
        employmentType,
        benefits: some(BENEFITS, 3),
        perkTags: some(['Equity', 'Parental Leave', 'Healthcare', 'Remote', 'Learning Budget'], 2),
        requiredSkills: some(SKILLS, 3),
        description: `As a ${role.toLowerCase()} at ${name} you will work with a small team on systems used by millions.`,
        responsibilities: ['Design, build and operate production services.', 'Work with product and design on what to build next.'],
        minimumQualifications: ['Experience with at least one of the required skills.'],
        payRange: { min, max: min + 40_000, currency: 'USD', interval: 'year' },
        hiringTeam: [{ name: `${name} Recruiting`, email: `recruiting@${companyId}.example` }],
      });
    }
  }
  return { companies: outCompanies, postings, contributions: referenceContributions(reference.companyId) };
}

function referencePosting(): Record<string, unknown> {
  return {
    companyId: referenceCompany.companyId,
    externalId: 'tiktok-rec-arch-intern-2026',
    title: 'Backend Engineer Intern (TikTok Vertical Recommendation Architecture) - 2026 Start (BS/MS)',
    team: 'Recommendation Architecture',
    location: 'Singapore',
    workplaceType: 'on-site',
    employmentType: 'full-time',
    benefits: ['401(k) matching', 'Team events and activities', 'Competitive salary and equity package', 'Parental leave', 'Comprehensive health, dental, and vision insurance'],
    perkTags: ['Equity', 'Parental Leave', 'Healthcare'],
    requiredSkills: ['React', 'TypeScript', 'JavaScript'],
    description:
      'Our Recommendation Architecture Team is responsible for building and optimizing the architecture of the recommendation system to provide the most stable and best experience for TikTok users.',
    responsibilities: [
      'Design and implement reasonable offline data architecture for large-scale recommendation systems.',
      'Design and implement flexible, scalable, stable and high-performance storage and computing systems.',
      'Trouble-shooting of the production system, designing and implementing the necessary mechanisms and tools to ensure the stability of the overall operation of the production system.',
      'Build industry-leading distributed systems such as storage and computing to provide reliable infrastructure for massive data and large-scale business systems.',
    ],
    minimumQualifications: [
      'Undergraduate, or Postgraduate who is currently pursuing a degree/master in Computer Science, Computer Engineering, Information Systems or a related technical major.',
      'Experience programming in at least one of the following programming languages: C, C++, Java or Golang.',
    ],
    preferredQualifications: [
      'Experienced in at least one area of the following areas: personalized recommendations system infra (dag engine, ranking, online/offline feature store), search engine, distributed storage system, rpc-frameworks, performance regression (such as perf-CI) is a plus.',
    ],
    additionalInformation:
      "Candidates can apply to a maximum of two positions and will be considered for jobs in the order you apply. The application limit is applicable to TikTok and its affiliates' jobs globally. Applications will be reviewed on a rolling basis. Successful candidates must be able to commit to at least 3 months long internship period.",
    minimumCommitmentMonths: 3,
    hiringTeam: [{ name: 'TikTok Recruiting', email: 'recruiting@tiktok.example' }],
  };
}
