/**
 * Whether an answer has the sections a format asks for. `label`: the label
 * occurs anywhere in the text. `heading`: only where it heads something, as a Markdown heading
 * (`## Proof`), a bold label (`**Proof**`, `**Proof:**`) or `Proof:` at the start of a line,
 * also as a list item (`- **Proof:**`, `1. Proof:`); a label merely mentioned in a sentence
 * does not count. Either may ignore case.
 */
import { escapeRegex } from '../base/regex.js';

export const SECTION_MATCHES = ['label', 'heading'] as const;
export type SectionMatch = (typeof SECTION_MATCHES)[number];

/** One test per label, in order. */
export function sectionTests(labels: string[], match: SectionMatch, ignoreCase = false): Array<(text: string) => boolean> {
  return labels.map((label) => {
    if (match === 'label') {
      if (!ignoreCase) return (text: string) => text.includes(label);
      const lower = label.toLowerCase();
      return (text: string) => text.toLowerCase().includes(lower);
    }
    const l = escapeRegex(label);
    const item = '(?:[-*+][ \\t]+|\\d+[.)][ \\t]+)?';
    const heading = new RegExp(`^[ \\t]*(?:#{1,6}[ \\t]+(?:\\*\\*)?${l}(?![\\p{L}\\p{N}])|${item}(?:\\*\\*${l}:?\\*\\*|${l}:))`, ignoreCase ? 'mui' : 'mu');
    return (text: string) => heading.test(text);
  });
}
