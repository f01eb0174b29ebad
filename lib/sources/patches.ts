/** What an edit changed, from the text the agent sent: files touched and lines added. */

export interface EditStats {
  files: string[];
  linesAdded: number;
}

const FILE_HEADER = /^\*\*\* (?:Add|Update|Delete) File: (.+)$/;
const MOVE_TO = /^\*\*\* Move to: (.+)$/;

/** Codex's apply_patch format: `*** Update File: path` headers, `+` for each added line. */
export function patchStats(patch: string): EditStats {
  const files = new Set<string>();
  let linesAdded = 0;
  for (const line of patch.split('\n')) {
    const header = FILE_HEADER.exec(line) ?? MOVE_TO.exec(line);
    if (header) files.add((header[1] ?? '').trim());
    else if (line.startsWith('+') && !line.startsWith('+++')) linesAdded++;
  }
  return { files: [...files], linesAdded };
}

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
