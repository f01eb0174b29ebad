/**
 * Whether an answer has the sections a format asks for. `label` (the seed's rule): the label
 * occurs anywhere in the text. `heading`: only where it heads something, as a Markdown heading
 * (`## Proof`), a bold label (`**Proof**`, `**Proof:**`) or `Proof:` at the start of a line;
 * a label merely mentioned in a sentence does not count.
 */
export const SECTION_MATCHES = ['label', 'heading'] as const;
export type SectionMatch = (typeof SECTION_MATCHES)[number];

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** One test per label, in order. */
export function sectionTests(labels: string[], match: SectionMatch): Array<(text: string) => boolean> {
  return labels.map((label) => {
    if (match === 'label') return (text: string) => text.includes(label);
    const l = escape(label);
    const heading = new RegExp(`^[ \\t]*(?:#{1,6}[ \\t]+(?:\\*\\*)?${l}(?![\\p{L}\\p{N}])|\\*\\*${l}:?\\*\\*|${l}:)`, 'mu');
    return (text: string) => heading.test(text);
  });
}
