/**
 * The one stylesheet (kept in TypeScript so the bundled service carries it; no asset pipeline).
 * Colours meet WCAG 2.2 AA contrast (text ≥ 4.5:1 on its background); focus is always visible.
 */
export const SITE_CSS = `
:root{--fg:#1a1d21;--muted:#4f5660;--bg:#f4f5f7;--card:#fff;--line:#d5d9df;--accent:#0b57d0;--accent-fg:#fff;--ok:#0f6b35;--err:#b3261e;--pos:#1e7b45;--neu:#6b6f76;--neg:#b3261e;--radius:10px}
*{box-sizing:border-box}
html{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:var(--fg);background:var(--bg)}
body{margin:0}
a{color:var(--accent)}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible,[tabindex]:focus-visible{outline:3px solid #f29900;outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:var(--fg);color:#fff;padding:.5rem 1rem;z-index:10}
.skip:focus{left:.5rem}
.visually-hidden{position:absolute!important;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.top{display:flex;flex-wrap:wrap;gap:1rem;align-items:center;padding:.75rem 1.25rem;background:#fff;border-bottom:1px solid var(--line)}
.brand{font-weight:700;font-size:1.25rem;text-decoration:none;color:var(--fg)}
.top nav ul{display:flex;gap:1rem;list-style:none;margin:0;padding:0}
.top nav a[aria-current]{font-weight:700}
.top-search{display:flex;gap:.5rem;margin-left:auto}
.top-search input{min-width:12rem}
main{max-width:1200px;margin:0 auto;padding:1.25rem}
main:focus{outline:none}
.foot{max-width:1200px;margin:0 auto;padding:1rem 1.25rem;color:var(--muted);font-size:.875rem}
h1{font-size:1.6rem;line-height:1.25;margin:.25rem 0 .5rem}
h2{font-size:1.2rem;margin:0 0 .75rem}
h3{font-size:1rem;margin:1rem 0 .5rem}
.layout{display:grid;grid-template-columns:minmax(0,1fr) 300px;gap:1.25rem;align-items:start}
@media (max-width:900px){.layout{grid-template-columns:minmax(0,1fr)}.top-search{margin-left:0;width:100%}.top-search input{flex:1;min-width:0}}
.card{background:var(--card);border:1px solid var(--line);border-radius:var(--radius);padding:1.25rem;margin-bottom:1.25rem}
.narrow{max-width:720px;margin:0 auto}
.muted{color:var(--muted)}
.company-line{margin:0;color:var(--muted);font-weight:600}
.meta{display:flex;flex-wrap:wrap;gap:.25rem 1rem;list-style:none;padding:0;margin:.25rem 0 .75rem;color:var(--muted)}
.meta .closed{color:var(--err);font-weight:700}
.tags{display:flex;flex-wrap:wrap;gap:.4rem;list-style:none;padding:0;margin:.25rem 0 .75rem}
.tags li{border:1px solid var(--line);border-radius:999px;padding:.1rem .7rem;font-size:.875rem;background:#f8f9fb}
.perks li{background:#e8f0fe;border-color:#c2d5f8}
.skills-label{margin:.5rem 0 0;font-weight:600;font-size:.875rem}
.actions{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:.75rem 0}
.actions form{margin:0}
.button{display:inline-block;font:inherit;font-weight:600;padding:.5rem 1rem;border-radius:8px;border:1px solid var(--accent);background:#fff;color:var(--accent);text-decoration:none;cursor:pointer;min-height:44px;min-width:44px}
.button.primary{background:var(--accent);color:var(--accent-fg)}
.button[aria-pressed=true]{background:#e8f0fe}
.counters,.figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(120px,1fr));gap:.75rem;margin:.75rem 0 0}
.figure{border-top:1px solid var(--line);padding-top:.4rem}
.figure dt{color:var(--muted);font-size:.875rem}
.figure dd{margin:0;font-weight:700;font-size:1.1rem}
.limit{background:#fff7e0;border:1px solid #e8c66a;border-radius:var(--radius);padding:1rem 1.25rem;margin-bottom:1.25rem}
.limit h2{font-size:1rem;margin:0 0 .25rem}
.limit p{margin:0}
.prose section+section{margin-top:1rem}
.prose ul{padding-left:1.25rem}
.big{font-size:1.5rem;font-weight:700;margin:.25rem 0}
.big .muted{font-size:1rem;font-weight:400}
.ratings{margin:0;display:grid;gap:.35rem}
.rating{display:flex;justify-content:space-between;gap:1rem;align-items:center}
.rating dt{color:var(--fg)}
.rating dd{margin:0;font-weight:700;display:flex;align-items:center;gap:.5rem}
meter{width:90px}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.875rem}
th,td{text-align:left;padding:.4rem .35rem;border-bottom:1px solid var(--line);white-space:nowrap}
td.title{white-space:normal;min-width:8rem}
thead th{color:var(--muted);font-weight:600}
.shares{list-style:none;padding:0;margin:0;display:grid;gap:.3rem}
.shares li{display:flex;align-items:center;gap:.5rem}
.bar{display:inline-block;height:.6rem;width:calc(var(--w) * 1.2px);min-width:2px;border-radius:3px}
.bar.pos{background:var(--pos)}.bar.neu{background:var(--neu)}.bar.neg{background:var(--neg)}
.steps{padding-left:1.5rem;margin:0}
.trending{padding-left:1.25rem;margin:0}
.trending li{margin:.3rem 0}
.notice{padding:.75rem 1rem;border-radius:8px;margin:.75rem 0}
.notice-ok{background:#e6f4ea;color:var(--ok);border:1px solid #a8d5b5}
.notice-error{background:#fce8e6;color:var(--err);border:1px solid #f0b4ae}
.notice p{margin:0}
form.search{display:flex;flex-wrap:wrap;gap:.75rem;align-items:flex-end}
.field{display:flex;flex-direction:column;gap:.25rem;margin-bottom:.75rem}
form.search .field{margin:0}
.field.grow{flex:1 1 16rem}
label{font-weight:600;font-size:.9rem}
input,select,textarea{font:inherit;padding:.5rem .6rem;border:1px solid #7a808a;border-radius:6px;background:#fff;color:var(--fg);min-height:44px}
input[aria-invalid=true],textarea[aria-invalid=true]{border-color:var(--err)}
.field-error{color:var(--err);margin:0;font-size:.875rem}
.result-list{list-style:none;padding:0;margin:0}
.result h3{margin:0 0 .25rem;font-size:1.1rem}
.pager{display:flex;gap:.5rem}
.plain{padding-left:1.25rem}
.status-accepted .big{color:var(--ok)}
.status-rejected .big{color:var(--err)}
code{font-size:.9em;word-break:break-all}
@media (prefers-reduced-motion:reduce){*{transition:none!important;animation:none!important}}
`;
