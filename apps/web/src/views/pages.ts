import type { ApplicationReceipt, ApplicationStatus, CompanyPage, FacetBucket, PostingPage, SearchPage } from '../api.client';
import { html, type Markup, type Part } from './html';
import { count, label, oneDecimal, postedAgo, valuation } from './format';
import { layout, notice } from './layout';
import { limitNotice } from './posting.page';

const WORKPLACES = ['on-site', 'hybrid', 'remote'] as const;
const EMPLOYMENTS = ['full-time', 'part-time', 'contract', 'internship', 'temporary'] as const;

export interface SearchParams {
  q: string;
  location: string;
  workplaceType: string;
  employmentType: string;
  skills: string;
  sort: string;
  cursor: string;
}

const select = (id: string, name: string, text: string, values: readonly string[], current: string): Markup =>
  html`<div class="field"><label for="${id}">${text}</label><select id="${id}" name="${name}"><option value="">Any</option>${values.map((v) => html`<option value="${v}"${v === current ? html` selected` : ''}>${label(v)}</option>`)}</select></div>`;

/** The URL of a search with one parameter changed (and the cursor reset unless it is the cursor). */
export function searchUrl(params: SearchParams, change: Partial<SearchParams>): string {
  const next: Record<string, string> = { ...params, cursor: '', ...change };
  const qs = new URLSearchParams(Object.entries(next).filter(([, v]) => v !== ''));
  const s = qs.toString();
  return s ? `/jobs?${s}` : '/jobs';
}

function facets(params: SearchParams, all: Record<string, FacetBucket[]> | undefined): Part {
  if (!all) return null;
  const entries = Object.entries(all).filter(([, buckets]) => Array.isArray(buckets) && buckets.length > 0);
  if (entries.length === 0) return null;
  const settable = new Set<keyof SearchParams>(['location', 'workplaceType', 'employmentType', 'skills']);
  return html`<section class="card facets" aria-labelledby="facets-title"><h2 id="facets-title">Refine</h2>${entries.map(
    ([name, buckets]) => html`<h3>${label(name.replace(/([A-Z])/g, ' $1').toLowerCase())}</h3><ul>${buckets.map((b) =>
      settable.has(name as keyof SearchParams)
        ? html`<li><a href="${searchUrl(params, { [name]: b.value })}">${b.value}</a> <span class="muted">(${count(b.count)})</span></li>`
        : html`<li>${b.value} <span class="muted">(${count(b.count)})</span></li>`,
    )}</ul>`,
  )}</section>`;
}

export function searchPage(params: SearchParams, result: SearchPage | null, error?: string): Markup {
  const body = html`
<h1>Jobs</h1>
<form class="card search" role="search" action="/jobs" method="get" aria-label="Search jobs">
  <div class="field grow"><label for="q">Keywords</label><input id="q" name="q" type="search" value="${params.q}" placeholder="Title, skill or company"></div>
  <div class="field"><label for="location">Location</label><input id="location" name="location" value="${params.location}" placeholder="e.g. Singapore"></div>
  ${select('workplace', 'workplaceType', 'Workplace', WORKPLACES, params.workplaceType)}
  ${select('employment', 'employmentType', 'Employment', EMPLOYMENTS, params.employmentType)}
  <div class="field"><label for="skills">Skills</label><input id="skills" name="skills" value="${params.skills}" placeholder="e.g. React, Go"></div>
  <div class="field"><label for="sort">Sort</label><select id="sort" name="sort"><option value="recent"${params.sort !== 'trending' ? html` selected` : ''}>Most recent</option><option value="trending"${params.sort === 'trending' ? html` selected` : ''}>Trending</option></select></div>
  <div class="field"><button type="submit" class="button primary">Search</button></div>
</form>
${notice(error, 'error')}
<div class="layout">
<section aria-labelledby="results-title" class="results">
  <h2 id="results-title">${result ? (result.items.length === 0 ? 'No jobs match' : `Results${params.cursor ? ' (more)' : ''}`) : 'Results unavailable'}</h2>
  ${result ? html`<ul class="result-list">${result.items.map((p) => {
    const hl = p.highlights;
    return html`<li class="card result" data-posting-id="${p.postingId}">
      <h3><a href="/jobs/${encodeURIComponent(p.postingId)}">${p.title}</a></h3>
      <p class="company-line">${p.companyName ?? p.companyId}${p.team ? ` · ${p.team}` : ''}</p>
      <ul class="meta"><li>${p.location}</li><li>${label(p.workplaceType)}</li><li>${label(p.employmentType)}</li>${p.postedAt ? html`<li><time datetime="${p.postedAt}">${postedAgo(p.postedAt)}</time></li>` : null}</ul>
      ${snippet(hl)}
      ${p.requiredSkills?.length ? html`<ul class="tags" aria-label="Skills">${p.requiredSkills.map((s) => html`<li>${s}</li>`)}</ul>` : null}
    </li>`;
  })}</ul>
  <nav class="pager" aria-label="Result pages">
    ${params.cursor ? html`<a class="button" href="${searchUrl(params, {})}">First page</a>` : null}
    ${result.nextCursor ? html`<a class="button" rel="next" href="${searchUrl(params, { cursor: result.nextCursor })}">Next page</a>` : null}
  </nav>` : null}
</section>
<aside class="side">${result ? facets(params, result.facets) : null}</aside>
</div>`;
  return layout({ title: params.q ? `Jobs: ${params.q}` : 'Jobs', body, current: '/jobs' });
}

/**
 * The matched words in context under a result: the description's first fragment (else any field's),
 * matches marked. Listings' fragments are HTML-escaped text with <em> around each match: they are
 * taken apart and escaped again here rather than trusted as markup.
 */
export function snippet(highlights: Readonly<Record<string, readonly string[]>> | undefined): Markup | null {
  const fragment = highlights?.description?.[0] ?? (highlights ? Object.values(highlights).flat()[0] : undefined);
  if (!fragment) return null;
  const parts = fragment.split(/<\/?em>/).map((part, i) => (i % 2 === 1 ? html`<mark>${unescapeHtml(part)}</mark>` : unescapeHtml(part)));
  return html`<p class="muted snippet">${parts}</p>`;
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#x27;': "'", '&#39;': "'", '&#x2F;': '/' };
const unescapeHtml = (s: string): string => s.replace(/&(?:amp|lt|gt|quot|#x27|#39|#x2F);/g, (e) => ENTITIES[e]);

export function companyPage(c: CompanyPage): Markup {
  const r = c.insights.reviews;
  const body = html`
<div class="layout">
<article aria-labelledby="company-name">
  <header class="card">
    <h1 id="company-name">${c.name}</h1>
    ${c.description ? html`<p>${c.description}</p>` : null}
    <dl class="figures">
      <div class="figure"><dt>Stage</dt><dd>${c.stage ?? '—'}</dd></div>
      <div class="figure"><dt>Employees</dt><dd>${c.employeeRange ?? '—'}</dd></div>
      <div class="figure"><dt>Headquarters</dt><dd>${c.headquarters ?? '—'}</dd></div>
      <div class="figure"><dt>Valuation</dt><dd>${valuation(c.valuationUsd)}</dd></div>
      ${c.group ? html`<div class="figure"><dt>Group</dt><dd>${c.group.name}</dd></div>` : null}
    </dl>
  </header>
  <section class="card" aria-labelledby="open-title">
    <h2 id="open-title">Open positions (${count(c.openPostings.length)})</h2>
    ${c.openPostings.length === 0 ? html`<p class="muted">No open positions.</p>` : html`<ul class="plain">${c.openPostings.map((p) => html`<li><a href="/jobs/${encodeURIComponent(p.postingId)}">${p.title}</a> <span class="muted">· ${p.location}</span></li>`)}</ul>`}
  </section>
</article>
<aside class="side">
  <section class="card" aria-labelledby="glance-title">
    <h2 id="glance-title">At a glance</h2>
    <dl class="figures">
      <div class="figure"><dt>Reviews</dt><dd>${count(r.count)}${r.count ? html` · ${oneDecimal(r.overall)} / 5` : ''}</dd></div>
      <div class="figure"><dt>Salary data points</dt><dd>${count(c.insights.salaries.dataPoints)}</dd></div>
      <div class="figure"><dt>Interviews</dt><dd>${count(c.insights.interviews.count)}</dd></div>
    </dl>
  </section>
</aside>
</div>`;
  return layout({ title: c.name, body });
}

export interface ApplyForm {
  name: string;
  email: string;
  phone: string;
  resumeUrl: string;
  coverNote: string;
}

export const emptyApplyForm: ApplyForm = { name: '', email: '', phone: '', resumeUrl: '', coverNote: '' };

/** The apply form; `errors` maps a field to its message (from ingest's 400 issues), `problem` is a whole-form error. */
export function applyPage(page: PostingPage, form: ApplyForm, errors: Partial<Record<keyof ApplyForm, string>> = {}, problem?: string): Markup {
  const p = page.posting;
  const field = (name: keyof ApplyForm, text: string, type: string, required: boolean, extra: Part = null) => {
    const err = errors[name];
    return html`<div class="field"><label for="f-${name}">${text}${required ? html` <span aria-hidden="true">*</span>` : html` <span class="muted">(optional)</span>`}</label>
    <input id="f-${name}" name="${name}" type="${type}" value="${form[name]}"${required ? html` required` : ''}${err ? html` aria-invalid="true" aria-describedby="e-${name}"` : ''}${extra}>
    ${err ? html`<p class="field-error" id="e-${name}">${err}</p>` : null}</div>`;
  };
  const body = html`
<div class="narrow">
<p><a href="/jobs/${encodeURIComponent(p.postingId)}">← Back to the posting</a></p>
<h1>Apply: ${p.title}</h1>
<p class="company-line">${page.company?.name ?? p.companyId} · ${p.location}</p>
${limitNotice(page)}
${problem ? html`<div class="notice notice-error" role="alert" id="apply-problem"><p>${problem}</p></div>` : null}
<form class="card" method="post" action="/jobs/${encodeURIComponent(p.postingId)}/apply" novalidate>
  <p class="muted">Fields marked * are required.</p>
  ${field('name', 'Full name', 'text', true, html` autocomplete="name"`)}
  ${field('email', 'Email', 'email', true, html` autocomplete="email"`)}
  ${field('phone', 'Phone', 'tel', false, html` autocomplete="tel"`)}
  ${field('resumeUrl', 'Link to your resume', 'url', true, html` placeholder="https://…"`)}
  <div class="field"><label for="f-coverNote">Cover note <span class="muted">(optional)</span></label><textarea id="f-coverNote" name="coverNote" rows="5"${errors.coverNote ? html` aria-invalid="true" aria-describedby="e-coverNote"` : ''}>${form.coverNote}</textarea>${errors.coverNote ? html`<p class="field-error" id="e-coverNote">${errors.coverNote}</p>` : null}</div>
  <button type="submit" class="button primary">Send application</button>
</form>
</div>`;
  return layout({ title: `Apply: ${p.title}`, body });
}

export function receiptPage(page: PostingPage | null, postingId: string, receipt: ApplicationReceipt): Markup {
  const body = html`
<div class="narrow">
<h1>Application received</h1>
<div class="card receipt" role="status">
  <p>Your application to <a href="/jobs/${encodeURIComponent(postingId)}">${page?.posting.title ?? postingId}</a> was received. It is decided in a moment (the posting must be open, and the application limit applies).</p>
  <dl class="figures">
    <div class="figure"><dt>Application</dt><dd data-figure="application-id"><code>${receipt.applicationId}</code></dd></div>
    <div class="figure"><dt>Receipt token</dt><dd data-figure="receipt-token"><code>${receipt.receiptToken}</code></dd></div>
  </dl>
  <p>Keep the receipt token: only its holder can read the decision. This browser remembers it for you.</p>
  <p><a class="button primary" href="/applications/${encodeURIComponent(receipt.applicationId)}">See the status</a></p>
</div>
</div>`;
  return layout({ title: 'Application received', body });
}

const REASONS: Record<string, string> = {
  LIMIT_REACHED: 'You have reached the application limit of this company and its group: applications beyond it are not considered.',
  POSTING_CLOSED: 'The posting was closed before your application arrived.',
  POSTING_NOT_FOUND: 'There is no such posting.',
};

/** The status page: pending (refreshes itself without JS via meta refresh), accepted, or rejected with its reason. */
export function statusPage(applicationId: string, status: ApplicationStatus | null, askToken: boolean, message?: string): Markup {
  let content: Part;
  if (status) {
    const headline = status.status === 'accepted' ? 'Accepted' : status.status === 'rejected' ? 'Not accepted' : 'Pending';
    content = html`<div class="card status status-${status.status}" role="status">
  <p class="big" data-figure="application-status">${headline}</p>
  ${status.status === 'rejected' ? html`<p data-figure="rejection-reason" data-reason="${status.reason ?? ''}">${REASONS[status.reason ?? ''] ?? status.detail ?? 'The application was rejected.'}</p>` : null}
  ${status.status === 'accepted' ? html`<p>Your application was passed on to the hiring team.</p>` : null}
  <p><a href="/jobs/${encodeURIComponent(status.postingId)}">Back to the posting</a></p>
</div>`;
  } else if (askToken) {
    content = html`<form class="card" method="get" action="/applications/${encodeURIComponent(applicationId)}">
  <div class="field"><label for="token">Receipt token</label><input id="token" name="token" required autocomplete="off"></div>
  <button class="button primary" type="submit">Show the status</button>
</form>`;
  } else {
    content = html`<div class="card" role="status"><p class="big" data-figure="application-status">Being decided</p><p>The decision is not there yet. This page refreshes itself; you can also <a href="/applications/${encodeURIComponent(applicationId)}">reload it</a>.</p></div>`;
  }
  const head = status === null && !askToken ? html`<meta http-equiv="refresh" content="2">` : null;
  const body = html`<div class="narrow"><h1>Application status</h1><p class="muted">Application <code>${applicationId}</code></p>${notice(message, 'error')}${content}</div>`;
  return layout({ title: 'Application status', body, head });
}

export function errorPage(status: number, title: string, detail: string): Markup {
  return layout({ title, body: html`<div class="narrow"><h1>${title}</h1><p>${detail}</p><p class="muted">Error ${status}</p><p><a href="/jobs">Search jobs</a></p></div>` });
}
