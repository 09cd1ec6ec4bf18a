import { referenceCompany } from './demo/reference-company';

/** Loads demo data through the public ingest API, as a recruiter's tools would. */
export async function seedCommand(ingestUrl: string, out: NodeJS.WritableStream = process.stdout): Promise<void> {
  const companies = [referenceCompany];
  let done = 0;
  for (const company of companies) {
    const res = await fetch(`${ingestUrl}/v1/companies`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(company),
    });
    if (res.status !== 202) throw new Error(`ingest answered ${res.status} for company ${company.companyId}: ${await res.text()}`);
    done++;
    out.write(`\rcompanies ${done}/${companies.length}`);
  }
  out.write('\n');
}
