/** Lower-cased words of a text, accents folded: the words a query is made of. */
export function tokenize(text: string): string[] {
  const words = text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}+#]+/u)
    .filter((w) => w.length > 0 && w.length <= 40);
  return [...new Set(words)];
}

/** One normalised key for exact-match filters (locations, skills). */
export const keyOf = (value: string) => tokenize(value).join(' ');
