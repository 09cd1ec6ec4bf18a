import { demoData } from './demo/demo-data';

function bar(label: string, done: number, total: number): string {
  const width = 30;
  const filled = Math.round((done / total) * width);
  return `\r${label.padEnd(10)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`;
}

async function call(url: string, key: string, body: unknown): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify(body) });
    // A 503 means "not accepted, retry": the broker or the registry was briefly unavailable.
    if (res.status !== 503 || attempt >= 10) return res;
    await new Promise((r) => setTimeout(r, 500 * (attempt + 1)));
  }
}

/** Loads the demo data through the public ingest API, as a recruiter's ATS would, with progress bars. */
export async function seedCommand(ingestUrl: string, apiKey: string, out: NodeJS.WritableStream = process.stdout): Promise<void> {
  const { companies, postings } = demoData();
  let done = 0;
  for (const company of companies) {
    const res = await call(`${ingestUrl}/v1/companies`, apiKey, company);
    if (res.status !== 202) throw new Error(`ingest answered ${res.status} for company ${String(company.companyId)}: ${await res.text()}`);
    out.write(bar('companies', ++done, companies.length));
  }
  out.write('\n');
  done = 0;
  const chunk = 50;
  for (let start = 0; start < postings.length; start += chunk) {
    const slice = postings.slice(start, start + chunk);
    const res = await call(`${ingestUrl}/v1/postings/batch`, apiKey, { postings: slice });
    if (res.status !== 200) throw new Error(`ingest answered ${res.status} for a batch of postings: ${await res.text()}`);
    const body = (await res.json()) as { results: { statusCode: number; message?: string; externalId?: string }[] };
    const failed = body.results.filter((r) => r.statusCode >= 300);
    if (failed.length > 0) throw new Error(`postings refused: ${failed.map((f) => `${f.externalId}: ${f.message}`).join('; ')}`);
    done += slice.length;
    out.write(bar('postings', done, postings.length));
  }
  out.write('\n');
}
