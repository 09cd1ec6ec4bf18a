import type { EmailJob, RejectionReason } from './email.job';

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

export interface RenderContext {
  /** Public link of a posting. */
  postingUrl: (postingId: string) => string;
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Only http(s) links become anchors, so a `javascript:` resume URL can't. */
function safeHref(url: string): string | undefined {
  return /^https?:\/\//i.test(url) ? escapeHtml(url) : undefined;
}

export function postingUrlFrom(template: string): (postingId: string) => string {
  return (postingId) => template.replace('{postingId}', encodeURIComponent(postingId));
}

const REASON_TEXT: Record<RejectionReason, string> = {
  LIMIT_REACHED: 'you have reached the application limit of this company and its affiliates. Applications are considered in the order they were made.',
  POSTING_CLOSED: 'the posting is no longer accepting applications.',
  POSTING_NOT_FOUND: 'the posting could not be found.',
};

export function reasonText(reason: RejectionReason): string {
  return REASON_TEXT[reason];
}

interface Block {
  heading: string;
  lines: { label?: string; value: string; href?: string }[];
}

function layout(title: string, intro: string, blocks: Block[], outro?: string): { text: string; html: string } {
  const text = [
    intro,
    ...blocks.flatMap((b) => ['', b.heading, ...b.lines.map((l) => (l.label ? `${l.label}: ${l.value}` : l.value))]),
    ...(outro ? ['', outro] : []),
    '',
    '— jobstream',
  ].join('\n');
  const htmlBlocks = blocks
    .map((b) => {
      const items = b.lines
        .map((l) => {
          const href = l.href ? safeHref(l.href) : undefined;
          const value = href ? `<a href="${href}">${escapeHtml(l.value)}</a>` : escapeHtml(l.value).replace(/\n/g, '<br>');
          return `<li>${l.label ? `<strong>${escapeHtml(l.label)}:</strong> ` : ''}${value}</li>`;
        })
        .join('');
      return `<h3>${escapeHtml(b.heading)}</h3><ul>${items}</ul>`;
    })
    .join('');
  const html =
    `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>` +
    `<body style="font-family: sans-serif"><p>${escapeHtml(intro)}</p>${htmlBlocks}` +
    `${outro ? `<p>${escapeHtml(outro)}</p>` : ''}<p>— jobstream</p></body></html>`;
  return { text, html };
}

/** Renders an email's subject, plain text and HTML. Pure: everything it shows is in the job. */
export function renderEmail(job: EmailJob, ctx: RenderContext): RenderedEmail {
  switch (job.kind) {
    case 'new-applicant': {
      // Outcomes carry the title since ingest records it; older ones may not: never show a raw id instead.
      const title = job.postingTitle ?? 'one of your postings';
      const a = job.applicant;
      const subject = `New applicant for ${title}: ${a.name}`;
      const contact = [{ label: 'Email', value: a.email, href: `mailto:${a.email}` }, ...(a.phone ? [{ label: 'Phone', value: a.phone }] : [])];
      const body = layout(subject, `${a.name} applied to ${title}.`, [
        { heading: 'Applicant', lines: [{ label: 'Name', value: a.name }, ...contact, { label: 'Resume', value: a.resumeUrl, href: a.resumeUrl }] },
        ...(a.coverNote ? [{ heading: 'Cover note', lines: [{ value: a.coverNote }] }] : []),
        { heading: 'Posting', lines: [{ label: title, value: ctx.postingUrl(job.postingId), href: ctx.postingUrl(job.postingId) }] },
      ]);
      return { subject, ...body };
    }
    case 'application-confirmed': {
      const to = job.postingTitle ? ` to ${job.postingTitle}` : '';
      const subject = `Your application${to} was received`;
      const body = layout(subject, `Hello ${job.candidate.name}, your application${to} was received and passed on to the hiring team.`, [
        { heading: 'Posting', lines: [{ label: job.postingTitle ?? 'The posting', value: ctx.postingUrl(job.postingId), href: ctx.postingUrl(job.postingId) }] },
        { heading: 'Reference', lines: [{ label: 'Application', value: job.applicationId }] },
      ]);
      return { subject, ...body };
    }
    case 'application-rejected': {
      const to = job.postingTitle ? ` to ${job.postingTitle}` : '';
      const subject = `Your application${to} could not be accepted`;
      const body = layout(
        subject,
        `Hello ${job.candidate.name}, your application${to} could not be accepted: ${reasonText(job.reason)}`,
        [
          { heading: 'Reason', lines: [{ label: 'Code', value: job.reason }, ...(job.detail ? [{ value: job.detail }] : [])] },
          { heading: 'Reference', lines: [{ label: 'Application', value: job.applicationId }] },
        ],
      );
      return { subject, ...body };
    }
    case 'recruiter-digest': {
      const subject = `Your postings on ${job.date}`;
      const blocks: Block[] = job.rows.map((r) => ({
        heading: r.postingTitle,
        lines: [
          { label: 'Views', value: String(r.views) },
          { label: 'Apply clicks', value: String(r.applyClicks) },
          { label: 'Applicants', value: String(r.applicants) },
          { label: 'Link', value: ctx.postingUrl(r.postingId), href: ctx.postingUrl(r.postingId) },
        ],
      }));
      return { subject, ...layout(subject, `Hello ${job.recruiter.name}, here is what happened on ${job.date} (UTC).`, blocks) };
    }
    case 'expiry-reminder': {
      const subject = `${job.postingTitle} expires on ${job.expiresAt.slice(0, 10)}`;
      const body = layout(subject, `The posting ${job.postingTitle} expires at ${job.expiresAt}. Extend it if you are still hiring.`, [
        { heading: 'Posting', lines: [{ label: job.postingTitle, value: ctx.postingUrl(job.postingId), href: ctx.postingUrl(job.postingId) }] },
      ]);
      return { subject, ...body };
    }
    case 'webhook-disabled': {
      const subject = `Webhook subscription ${job.subscriptionId} was disabled`;
      const body = layout(subject, `Deliveries to ${job.url} kept failing, so the subscription was disabled at ${job.disabledAt}. Nothing is sent to it until it is re-enabled.`, [
        { heading: 'Why', lines: [{ value: job.reason }] },
        {
          heading: 'What to do',
          lines: [
            { value: `Check the delivery log: GET /v1/webhooks/subscriptions/${job.subscriptionId}/deliveries` },
            { value: `Once the endpoint works, re-enable it (PATCH with {"status":"active"}) and redeliver what it missed (POST …/redeliver with a time range).` },
          ],
        },
      ]);
      return { subject, ...body };
    }
  }
}
