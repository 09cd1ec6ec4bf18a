/**
 * The template layer: a tagged template that escapes every interpolated value unless it is
 * already markup made by `html` itself. Pages are plain functions of their data, so the compiler
 * checks them and there is no template engine to learn or to ship.
 */
export class Markup {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type Part = Markup | string | number | null | undefined | false | readonly Part[];

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ESCAPES[c]);

function render(part: Part): string {
  if (part === null || part === undefined || part === false) return '';
  if (part instanceof Markup) return part.value;
  if (Array.isArray(part)) return (part as readonly Part[]).map(render).join('');
  return escapeHtml(String(part));
}

export function html(strings: TemplateStringsArray, ...parts: Part[]): Markup {
  let out = strings[0];
  for (let i = 0; i < parts.length; i++) out += render(parts[i]) + strings[i + 1];
  return new Markup(out);
}

/** Markup that is trusted as it is (never user input). */
export const raw = (s: string): Markup => new Markup(s);

/**
 * JSON inside <script type="application/ld+json">: `<` is escaped so no value can close the element
 * (a title containing "</script>" stays data), and U+2028/2029 so old parsers read it too.
 */
export function jsonForScript(value: unknown): Markup {
  return raw(JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029'));
}
