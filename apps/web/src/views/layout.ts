import { html, type Markup, type Part } from './html';

export interface LayoutOptions {
  title: string;
  /** Extra elements of <head> (canonical link, JSON-LD). */
  head?: Part;
  body: Part;
  /** Path of the current page, to mark the current navigation link. */
  current?: string;
}

/** Every page: a skip link, a landmark for each region, one stylesheet and one deferred script. */
export function layout(o: LayoutOptions): Markup {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${o.title} · jobstream</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/site.css">
<script src="/assets/site.js" defer></script>
${o.head}
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
  <a class="brand" href="/">jobstream</a>
  <nav aria-label="Main">
    <ul>
      <li><a href="/jobs"${o.current === '/jobs' ? html` aria-current="page"` : ''}>Jobs</a></li>
    </ul>
  </nav>
  <form class="top-search" role="search" action="/jobs" method="get">
    <label for="top-q" class="visually-hidden">Search jobs</label>
    <input id="top-q" name="q" type="search" placeholder="Search jobs" autocomplete="off">
    <button type="submit">Search</button>
  </form>
</header>
<main id="main" tabindex="-1">
${o.body}
</main>
<footer class="foot"><p>jobstream: an open-source job board. Figures come from job seekers' contributions.</p></footer>
</body>
</html>`;
}

/** A notice for the outcome of a form the page just handled (role=status so screen readers hear it). */
export function notice(text: string | undefined, kind: 'ok' | 'error' = 'ok'): Part {
  if (!text) return null;
  return html`<p class="notice notice-${kind}" role="${kind === 'error' ? 'alert' : 'status'}">${text}</p>`;
}
