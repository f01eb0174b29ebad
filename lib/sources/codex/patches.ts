/** What a Codex patch changed, from the text the agent sent: files touched and lines added. */
import type { EditStats } from '../common/events.js';

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
