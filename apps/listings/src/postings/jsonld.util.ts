import type { PostingSnapshot } from '@jobstream/contracts';

const EMPLOYMENT: Record<PostingSnapshot['employmentType'], string> = {
  'full-time': 'FULL_TIME',
  'part-time': 'PART_TIME',
  contract: 'CONTRACTOR',
  internship: 'INTERN',
  temporary: 'TEMPORARY',
};

const UNIT: Record<NonNullable<PostingSnapshot['payRange']>['interval'], string> = { hour: 'HOUR', day: 'DAY', week: 'WEEK', month: 'MONTH', year: 'YEAR' };

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function section(title: string, items: readonly string[] | undefined): string {
  if (!items || items.length === 0) return '';
  return `<h3>${escapeHtml(title)}</h3><ul>${items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`;
}

/** The description search engines show: the posting's text as simple, escaped HTML. */
export function descriptionHtml(p: PostingSnapshot): string {
  return [
    `<p>${escapeHtml(p.description)}</p>`,
    section('Responsibilities', p.responsibilities),
    section('Minimum qualifications', p.minimumQualifications),
    section('Preferred qualifications', p.preferredQualifications),
    p.additionalInformation ? `<h3>Additional information</h3><p>${escapeHtml(p.additionalInformation)}</p>` : '',
  ].join('');
}

/** schema.org JobPosting, as job boards hand postings to search engines (Google's required fields included). */
export function toJobPostingJsonLd(p: PostingSnapshot, company: { name: string; headquarters?: string } | null, pageUrl: string): Record<string, unknown> {
  const doc: Record<string, unknown> = {
    '@context': 'https://schema.org/',
    '@type': 'JobPosting',
    title: p.title,
    description: descriptionHtml(p),
    identifier: { '@type': 'PropertyValue', name: company?.name ?? p.companyId, value: p.postingId },
    datePosted: (p.postedAt ?? new Date(0).toISOString()).slice(0, 10),
    employmentType: EMPLOYMENT[p.employmentType],
    hiringOrganization: { '@type': 'Organization', name: company?.name ?? p.companyId },
    url: pageUrl,
    directApply: !p.applyUrl,
  };
  if (p.expiresAt) doc.validThrough = p.expiresAt;
  if (p.workplaceType === 'remote') {
    doc.jobLocationType = 'TELECOMMUTE';
    doc.applicantLocationRequirements = { '@type': 'Country', name: p.location };
  } else {
    doc.jobLocation = { '@type': 'Place', address: { '@type': 'PostalAddress', addressLocality: p.location } };
  }
  if (p.payRange) {
    doc.baseSalary = {
      '@type': 'MonetaryAmount',
      currency: p.payRange.currency,
      value: { '@type': 'QuantitativeValue', minValue: p.payRange.min, maxValue: p.payRange.max, unitText: UNIT[p.payRange.interval] },
    };
  }
  if (p.requiredSkills?.length) doc.skills = p.requiredSkills.join(', ');
  if (p.benefits?.length) doc.jobBenefits = p.benefits.join(', ');
  if (p.minimumQualifications?.length) doc.qualifications = p.minimumQualifications.join(' ');
  if (p.responsibilities?.length) doc.responsibilities = p.responsibilities.join(' ');
  return doc;
}
