import { escapeHtml, html, jsonForScript, raw } from './html';
import { money, moneyK, postedAgo, valuation, weeksRange } from './format';

describe('web formats', () => {
  it('shows money as the seed does', () => {
    expect(money(143750)).toBe('$143,750');
    expect(moneyK(126500)).toBe('$126.5k');
    expect(moneyK(163300)).toBe('$163.3k');
    expect(moneyK(120000)).toBe('$120k');
    expect(money(null)).toBe('—');
    expect(money(90000, 'SGD')).toBe('SGD 90,000');
  });

  it('says how long ago a posting went up', () => {
    const now = new Date('2026-11-30T00:00:00Z');
    expect(postedAgo('2026-10-30T00:00:00Z', now)).toBe('1mo');
    expect(postedAgo('2026-11-27T00:00:00Z', now)).toBe('3d');
    expect(postedAgo('2026-11-29T23:59:30Z', now)).toBe('just now');
    expect(postedAgo(undefined, now)).toBe('');
  });

  it('shows valuations and week ranges', () => {
    expect(valuation(220_000_000_000)).toBe('$220B');
    expect(valuation(1_500_000)).toBe('$1.5M');
    expect(weeksRange([21, 35])).toBe('21–35 weeks');
    expect(weeksRange([null, null])).toBe('—');
  });
});

describe('the template layer', () => {
  it('escapes every interpolated value but its own markup', () => {
    const title = '<img src=x onerror=alert(1)> & "q"';
    expect(html`<h1>${title}</h1>`.value).toBe('<h1>&lt;img src=x onerror=alert(1)&gt; &amp; &quot;q&quot;</h1>');
    expect(html`<ul>${['a<', 'b'].map((s) => html`<li>${s}</li>`)}</ul>`.value).toBe('<ul><li>a&lt;</li><li>b</li></ul>');
    expect(html`${raw('<b>ok</b>')}${null}${false}${0}`.value).toBe('<b>ok</b>0');
    expect(escapeHtml("'")).toBe('&#39;');
  });

  it('keeps JSON-LD data from closing its script element', () => {
    expect(jsonForScript({ title: '</script><script>alert(1)</script>' }).value).not.toContain('</script>');
    expect(JSON.parse(jsonForScript({ t: '</script>\u2028' }).value)).toEqual({ t: '</script>\u2028' });
  });
});
