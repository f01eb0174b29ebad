/** What a Claude Code edit changed, from the tool's input: files touched and lines added. */
import { lineCount, linesReplaced } from '../common/edits.js';
import type { EditStats } from '../common/events.js';

/** Claude Code's editing tools: Write (its content), Edit and MultiEdit (new text over old). */
export function claudeEditStats(tool: string, input: Record<string, unknown>): EditStats | undefined {
  const file = typeof input.file_path === 'string' ? input.file_path : typeof input.notebook_path === 'string' ? input.notebook_path : undefined;
  if (file === undefined) return undefined;
  switch (tool) {
    case 'Write':
      return { files: [file], linesAdded: lineCount(input.content) };
    case 'Edit':
      return { files: [file], linesAdded: linesReplaced(input.new_string, input.old_string) };
    case 'MultiEdit': {
      const edits = Array.isArray(input.edits) ? input.edits : [];
      let added = 0;
      for (const edit of edits) {
        if (typeof edit === 'object' && edit !== null) {
          const e = edit as Record<string, unknown>;
          added += linesReplaced(e.new_string, e.old_string);
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
