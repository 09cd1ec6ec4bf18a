import type { PostingPage, TrendingCompany, TrendingPosting } from '../api.client';
import { html, jsonForScript, type Markup, type Part } from './html';
import { count, label, money, moneyK, oneDecimal, postedAgo, valuation, weeksRange } from './format';
import { layout, notice } from './layout';

const list = (items: readonly string[] | undefined, tag: 'ul' | 'ol' = 'ul'): Part =>
  items && items.length > 0 ? html`<${tag === 'ul' ? html`ul` : html`ol`}>${items.map((i) => html`<li>${i}</li>`)}</${tag === 'ul' ? html`ul` : html`ol`}>` : null;

function section(id: string, title: string, body: Part): Part {
  if (!body) return null;
  return html`<section aria-labelledby="${id}"><h2 id="${id}">${title}</h2>${body}</section>`;
}

/** A figure a reader (and the browser test) can find by name: `data-figure` names what it shows. */
const figure = (name: string, term: string, value: string): Markup => html`<div class="figure"><dt>${term}</dt><dd data-figure="${name}">${value}</dd></div>`;

export function trendingSidebars(companies: TrendingCompany[] | null, postings: TrendingPosting[] | null): Markup {
  return html`<section class="card" aria-labelledby="trending-companies">
  <h2 id="trending-companies">Trending Companies</h2>
  ${companies === null ? html`<p class="muted">Unavailable right now.</p>` : companies.length === 0 ? html`<p class="muted">Nothing trending yet.</p>` : html`<ol class="trending">${companies.map((c) => html`<li><a href="/companies/${encodeURIComponent(c.companyId)}">${c.name ?? c.companyId}</a></li>`)}</ol>`}
</section>
<section class="card" aria-labelledby="trending-jobs">
  <h2 id="trending-jobs">Trending Jobs</h2>
  ${postings === null ? html`<p class="muted">Unavailable right now.</p>` : postings.length === 0 ? html`<p class="muted">Nothing trending yet.</p>` : html`<ol class="trending">${postings.map((p) => html`<li><a href="/jobs/${encodeURIComponent(p.postingId)}">${p.title}</a></li>`)}</ol>`}
</section>`;
}

/** The application-limit notice: how many postings of the company (or its group) one candidate may apply to. */
export function limitNotice(page: PostingPage): Part {
  const policy = page.company?.applicationPolicy;
  if (!policy) return null;
  const who = policy.scope === 'group' && page.company?.group ? `${page.company.group.name}` : (page.company?.name ?? 'this company');
  const n = policy.maxApplicationsPerCandidate;
  return html`<aside class="limit" aria-labelledby="limit-title" data-figure="application-limit">
  <h2 id="limit-title">Application limit</h2>
  <p>You can apply to at most <strong>${n === 1 ? 'one position' : `${n} positions`}</strong> at ${who}${policy.scope === 'group' ? ' (across the company and its affiliates)' : ''}.${policy.consideredInOrderApplied ? ' Applications are considered in the order you apply.' : ''}</p>
</aside>`;
}

function reviewsSection(r: PostingPage['reviews']): Markup {
  const subs: [string, string, number | null][] = [
    ['work-life-balance', 'Work-life balance', r.workLifeBalance],
    ['compensation', 'Compensation and benefits', r.compensation],
    ['culture', 'Culture', r.culture],
    ['career', 'Career opportunities', r.career],
    ['management', 'Management', r.management],
  ];
  return html`<section class="card" aria-labelledby="reviews-title">
  <h2 id="reviews-title">Reviews</h2>
  ${r.count === 0 ? html`<p class="muted">No reviews yet.</p>` : html`
  <p class="big"><span data-figure="review-overall">${oneDecimal(r.overall)}</span><span class="muted"> / 5 overall · <span data-figure="review-count">${count(r.count)}</span> ${r.count === 1 ? 'review' : 'reviews'}</span></p>
  <dl class="ratings">${subs.map(([key, term, value]) => html`<div class="rating"><dt>${term}</dt><dd><meter min="1" max="5" value="${value ?? 1}" aria-hidden="true"></meter> <span data-figure="review-${key}">${oneDecimal(value)}</span></dd></div>`)}</dl>
  <p><span data-figure="review-recommend">${r.recommendToFriendPercent === null ? '—' : `${r.recommendToFriendPercent}%`}</span> would recommend it to a friend</p>`}
</section>`;
}

function salariesSection(s: PostingPage['salaries']): Markup {
  return html`<section class="card" aria-labelledby="salaries-title">
  <h2 id="salaries-title">Salaries</h2>
  <p><span data-figure="salary-data-points">${count(s.dataPoints)}</span> data points</p>
  ${s.byRole.length === 0 ? html`<p class="muted">No salaries reported yet.</p>` : html`
  <div class="table-wrap" role="region" aria-labelledby="salaries-title" tabindex="0">
  <table class="salaries">
    <caption class="visually-hidden">Salary by level and title: median total per year, base, stock, bonus, and the 25th–75th percentile range</caption>
    <thead><tr><th scope="col">Level</th><th scope="col">Title</th><th scope="col">Reports</th><th scope="col">Total / year</th><th scope="col">Base</th><th scope="col">Stock</th><th scope="col">Bonus</th><th scope="col">Range</th></tr></thead>
    <tbody>${s.byRole.map(
      (b) => html`<tr data-role="${b.level}|${b.title}">
      <th scope="row">${b.level}</th><td class="title">${b.title}</td>
      <td data-figure="reports">${count(b.reports)}</td>
      <td data-figure="total">${money(b.medianTotal, b.currency)}</td>
      <td data-figure="base">${money(b.medianBase, b.currency)}</td>
      <td data-figure="stock">${money(b.medianStock, b.currency)}</td>
      <td data-figure="bonus">${money(b.medianBonus, b.currency)}</td>
      <td data-figure="range">${moneyK(b.rangeTotal[0], b.currency)}–${moneyK(b.rangeTotal[1], b.currency)}</td>
    </tr>`,
    )}</tbody>
  </table>
  </div>`}
</section>`;
}

function interviewsSection(i: PostingPage['interviews']): Markup {
  const e = i.experiencePercent;
  return html`<section class="card" aria-labelledby="interviews-title">
  <h2 id="interviews-title">Interviews</h2>
  ${i.count === 0 ? html`<p class="muted">No interviews reported yet.</p>` : html`
  <dl class="figures">
    ${figure('interview-count', 'Interviews', count(i.count))}
    ${figure('interview-difficulty', 'Difficulty (1–5)', oneDecimal(i.difficulty))}
    ${figure('interview-duration', 'Duration', weeksRange(i.durationWeeks))}
  </dl>
  <h3>Experience</h3>
  <ul class="shares">
    <li><span class="bar pos" style="--w:${e.positive}"></span>Positive <strong data-figure="experience-positive">${e.positive}%</strong></li>
    <li><span class="bar neu" style="--w:${e.neutral}"></span>Neutral <strong data-figure="experience-neutral">${e.neutral}%</strong></li>
    <li><span class="bar neg" style="--w:${e.negative}"></span>Negative <strong data-figure="experience-negative">${e.negative}%</strong></li>
  </ul>
  <h3>Interview process</h3>
  <ol class="steps" data-figure="interview-process">${i.process.map((s) => html`<li>${s}</li>`)}</ol>
  <h3>Common questions</h3>
  <ul class="tags" data-figure="interview-questions">${i.commonQuestions.map((q) => html`<li>${q}</li>`)}</ul>`}
</section>`;
}

function companyPanel(page: PostingPage): Part {
  const c = page.company;
  if (!c) return null;
  return html`<section class="card" aria-labelledby="company-title">
  <h2 id="company-title"><a href="/companies/${encodeURIComponent(c.companyId)}">${c.name}</a></h2>
  ${c.description ? html`<p>${c.description}</p>` : null}
  <dl class="figures">
    ${figure('company-stage', 'Stage', c.stage ?? '—')}
    ${figure('company-size', 'Employees', c.employeeRange ?? '—')}
    ${figure('company-hq', 'Headquarters', c.headquarters ?? '—')}
    ${figure('company-valuation', 'Valuation', valuation(c.valuationUsd))}
    ${c.group ? figure('company-group', 'Group', c.group.name) : null}
  </dl>
</section>`;
}

export interface PostingViewModel {
  page: PostingPage;
  jsonLd: Record<string, unknown> | null;
  trendingCompanies: TrendingCompany[] | null;
  trendingPostings: TrendingPosting[] | null;
  canonicalUrl: string;
  message?: string;
  scrapped: boolean;
}

export function postingPage(vm: PostingViewModel): Markup {
  const { page } = vm;
  const p = page.posting;
  const open = p.status === 'published';
  const c = page.counters;
  const id = encodeURIComponent(p.postingId);
  const body = html`
<div class="layout">
<article class="posting" aria-labelledby="posting-title">
  <header class="posting-head card">
    <p class="company-line">${page.company ? html`<a href="/companies/${encodeURIComponent(page.company.companyId)}">${page.company.name}</a>` : p.companyId}${p.team ? html` · <span data-figure="team">${p.team}</span>` : null}</p>
    <h1 id="posting-title">${p.title}</h1>
    <ul class="meta">
      <li data-figure="location">${p.location}</li>
      <li data-figure="workplace">${label(p.workplaceType)}</li>
      <li data-figure="employment">${label(p.employmentType)}</li>
      ${p.postedAt ? html`<li>Posted <time datetime="${p.postedAt}" data-figure="posted-ago">${postedAgo(p.postedAt)}</time>${postedAgo(p.postedAt) === 'just now' ? '' : ' ago'}</li>` : null}
      ${!open ? html`<li class="closed">${label(p.status)}</li>` : null}
    </ul>
    ${p.perkTags?.length ? html`<ul class="tags perks" aria-label="Perks">${p.perkTags.map((t) => html`<li>${t}</li>`)}</ul>` : null}
    ${p.requiredSkills?.length ? html`<p class="skills-label" id="skills-label">Skills</p><ul class="tags skills" aria-labelledby="skills-label">${p.requiredSkills.map((t) => html`<li>${t}</li>`)}</ul>` : null}
    ${notice(vm.message)}
    <div class="actions">
      ${open ? html`<a class="button primary" href="/jobs/${id}/apply">Apply</a>` : html`<p class="muted">This posting no longer takes applications.</p>`}
      <form method="post" action="/jobs/${id}/scrap" data-enhance="engage">
        <input type="hidden" name="intent" value="${vm.scrapped ? 'unscrap' : 'scrap'}">
        <button type="submit" class="button" aria-pressed="${vm.scrapped ? 'true' : 'false'}">${vm.scrapped ? 'Scrapped' : 'Scrap'}</button>
      </form>
      ${open ? html`<form method="post" action="/jobs/${id}/mock-apply" data-enhance="engage"><button type="submit" class="button">Mock apply</button></form>` : null}
    </div>
    <dl class="counters" aria-label="Counters">
      ${figure('views', 'Total views', count(c.totalViews))}
      ${figure('apply-clicks', 'Apply clicks', count(c.applyClicks))}
      ${figure('mock-applicants', 'Mock applicants', count(c.mockApplicants))}
      ${figure('scraps', 'Scraps', count(c.scraps))}
    </dl>
  </header>
  ${limitNotice(page)}
  <div class="card prose">
    ${section('about', 'About the role', html`<p>${p.description}</p>`)}
    ${section('responsibilities', 'Responsibilities', list(p.responsibilities))}
    ${section('min-quals', 'Minimum qualifications', list(p.minimumQualifications))}
    ${section('pref-quals', 'Preferred qualifications', list(p.preferredQualifications))}
    ${section('benefits', 'Benefits', list(p.benefits))}
    ${section('additional', 'Additional information', p.additionalInformation ? html`<p>${p.additionalInformation}</p>` : null)}
    ${p.payRange ? section('pay', 'Pay range', html`<p>${money(p.payRange.min, p.payRange.currency)}–${money(p.payRange.max, p.payRange.currency)} per ${p.payRange.interval}</p>`) : null}
  </div>
  ${reviewsSection(page.reviews)}
  ${salariesSection(page.salaries)}
  ${interviewsSection(page.interviews)}
</article>
<aside class="side" aria-label="Company and trending">
  ${companyPanel(page)}
  ${trendingSidebars(vm.trendingCompanies, vm.trendingPostings)}
</aside>
</div>`;
  const head = html`<link rel="canonical" href="${vm.canonicalUrl}">
<meta name="description" content="${p.title} at ${page.company?.name ?? p.companyId}, ${p.location}">
${vm.jsonLd ? html`<script type="application/ld+json">${jsonForScript(vm.jsonLd)}</script>` : null}`;
  return layout({ title: `${p.title} – ${page.company?.name ?? p.companyId}`, head, body });
}
