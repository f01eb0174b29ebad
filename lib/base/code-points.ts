/**
 * Lengths and cuts of text in characters (Unicode code points), as a person and the seed tool
 * count them: a JavaScript string's length counts UTF-16 units, two for an emoji, and a cut by
 * units can split a pair and leave half of it, which no UTF-8 output can hold.
 */

const SURROGATE = /[\uD800-\uDFFF]/;

/** How many characters the text holds (a lone half of a pair counts as one). */
export function codePointLength(text: string): number {
  if (!SURROGATE.test(text)) return text.length;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/** The first `count` characters of the text. */
export function codePointPrefix(text: string, count: number): string {
  if (text.length <= count) return text;
  if (!SURROGATE.test(text.slice(0, count))) return text.slice(0, count);
  let i = 0;
  for (let n = 0; n < count && i < text.length; n++) {
    const c = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    i += c >= 0xd800 && c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff ? 2 : 1;
  }
  return text.slice(0, i);
}
