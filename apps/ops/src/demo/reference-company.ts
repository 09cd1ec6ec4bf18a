/** The company of the reference posting page (shared/fixtures/reference-posting.json). */
export const referenceCompany = {
  companyId: 'tiktok',
  name: 'TikTok',
  description: 'A short-form video entertainment app and social network platform',
  stage: 'Late Stage',
  employeeRange: '10,001+',
  headquarters: 'Los Angeles',
  valuationUsd: 220000000000,
  group: { id: 'tiktok-group', name: 'TikTok and its affiliates' },
  applicationPolicy: { maxApplicationsPerCandidate: 2, scope: 'group' as const, consideredInOrderApplied: true },
};
