/** The lines an edit added, the same count for every agent's editing tools (only their names and arguments differ). */

/** Lines in a text: a last line without its newline counts; nothing, or what is not text, is none. */
export function lineCount(text: unknown): number {
  if (typeof text !== 'string' || text === '') return 0;
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

/** Lines an edit that puts new text over old added: those it grew by, never fewer than none. */
export function linesReplaced(newText: unknown, oldText: unknown): number {
  return Math.max(0, lineCount(newText) - lineCount(oldText));
}
