/** What a Claude Code edit changed, from the tool's input: files touched and lines added. */
import type { EditStats } from '../common/events.js';

function lineCount(text: unknown): number {
  if (typeof text !== 'string' || text === '') return 0;
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

/** Claude Code's editing tools: Write (its content), Edit and MultiEdit (new text over old). */
export function claudeEditStats(tool: string, input: Record<string, unknown>): EditStats | undefined {
  const file = typeof input.file_path === 'string' ? input.file_path : typeof input.notebook_path === 'string' ? input.notebook_path : undefined;
  if (file === undefined) return undefined;
  switch (tool) {
    case 'Write':
      return { files: [file], linesAdded: lineCount(input.content) };
    case 'Edit':
      return { files: [file], linesAdded: Math.max(0, lineCount(input.new_string) - lineCount(input.old_string)) };
    case 'MultiEdit': {
      const edits = Array.isArray(input.edits) ? input.edits : [];
      let added = 0;
      for (const edit of edits) {
        if (typeof edit === 'object' && edit !== null) {
          const e = edit as Record<string, unknown>;
          added += Math.max(0, lineCount(e.new_string) - lineCount(e.old_string));
        }
      }
      return { files: [file], linesAdded: added };
    }
    case 'NotebookEdit':
      return { files: [file], linesAdded: lineCount(input.new_source) };
    default:
      return undefined;
  }
}
