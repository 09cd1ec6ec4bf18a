import { demoData, mulberry32, type DemoOptions } from './demo/demo-data';

function bar(label: string, done: number, total: number): string {
  const width = 30;
  const filled = Math.round((done / total) * width);
  return `\r${label.padEnd(10)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`;
}

async function call(url: string, key: string | null, body: unknown): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) }, body: JSON.stringify(body) });
    // A 503 means "not accepted, retry": the broker or the registry was briefly unavailable; a
    // 429 (public routes) means the same after Retry-After.
    if ((res.status !== 503 && res.status !== 429) || attempt >= 10) return res;
    const wait = res.status === 429 ? Number(res.headers.get('retry-after') ?? '5') * 1000 : 500 * (attempt + 1);
    await new Promise((r) => setTimeout(r, wait));
  }
}

export interface SeedOptions extends DemoOptions {
  companies?: number;
  perCompany?: number;
}

export interface SeedResult {
  /** postingId of each seeded posting by externalId. */
  postingIds: Map<string, string>;
  referenceCompanyId: string;
  referencePostingId: string;
}

/** Engagement for the other demo postings, so Trending Jobs and Trending Companies have something to show. */
function demoEngagement(postingIds: string[]): { type: string; postingId: string; viewerId: string }[] {
  const rand = mulberry32(20261130);
  const events: { type: string; postingId: string; viewerId: string }[] = [];
  postingIds.forEach((postingId, index) => {
    // A few postings get most of the attention, as on a real board.
    const views = index < 8 ? 6 + Math.floor(rand() * 10) : Math.floor(rand() * 2);
    for (let v = 0; v < views; v++) {
      const viewerId = `demo-viewer-${Math.floor(rand() * 40)}`;
      events.push({ type: 'view', postingId, viewerId });
      if (rand() < 0.25) events.push({ type: 'apply-click', postingId, viewerId });
      if (rand() < 0.1) events.push({ type: 'scrap', postingId, viewerId });
    }
  });
  return events;
}

/** Loads the demo data through the public ingest API, as a recruiter's ATS would, with progress bars. */
export async function seedCommand(ingestUrl: string, apiKey: string, out: NodeJS.WritableStream = process.stdout, options: SeedOptions = {}): Promise<SeedResult> {
  const { companies, postings, contributions } = demoData(options.companies, options.perCompany, options);
  const postingIds = new Map<string, string>();
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
    const body = (await res.json()) as { results: { statusCode: number; message?: string; externalId?: string; postingId?: string }[] };
    const failed = body.results.filter((r) => r.statusCode >= 300);
    if (failed.length > 0) throw new Error(`postings refused: ${failed.map((f) => `${f.externalId}: ${f.message}`).join('; ')}`);
    body.results.forEach((r, i) => {
      if (r.postingId) postingIds.set(String(slice[i].externalId), r.postingId);
    });
    done += slice.length;
    out.write(bar('postings', done, postings.length));
  }
  out.write('\n');

  // The reference company's contributions go through the public routes, as job seekers send them.
  const referenceCompanyId = String(companies[0].companyId);
  const routes: [string, Record<string, unknown>[]][] = [
    ['salaries', contributions.salaries],
    ['reviews', contributions.reviews],
    ['interviews', contributions.interviews],
  ];
  const total = routes.reduce((sum, [, list]) => sum + list.length, 0);
  done = 0;
  for (const [route, list] of routes) {
    for (const body of list) {
      const res = await call(`${ingestUrl}/v1/companies/${encodeURIComponent(referenceCompanyId)}/${route}`, null, body);
      if (res.status !== 202) throw new Error(`ingest answered ${res.status} for a contribution (${route}): ${await res.text()}`);
      out.write(bar('contribs', ++done, total));
    }
  }
  out.write('\n');

  // The seed shows 0 views, apply clicks, mock applicants and scraps on the reference posting, so it
  // gets no engagement; the other postings do, for the trending sidebars.
  const referencePostingId = postingIds.get(String(postings[0].externalId)) ?? '';
  const events = demoEngagement([...postingIds.values()].filter((id) => id !== referencePostingId));
  for (let start = 0; start < events.length; start += 100) {
    const res = await call(`${ingestUrl}/v1/engagement/batch`, null, { events: events.slice(start, start + 100) });
    if (res.status !== 202) throw new Error(`ingest answered ${res.status} for engagement: ${await res.text()}`);
    out.write(bar('engagement', Math.min(start + 100, events.length), events.length));
  }
  out.write('\n');
  return { postingIds, referenceCompanyId, referencePostingId };
}
