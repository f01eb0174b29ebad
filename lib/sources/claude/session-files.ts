/** The files of one Claude Code session, from its transcript's path: where its subagents' transcripts are kept. */
import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** The transcript, its `<session>/subagents/` folder (2.1.x), and the older `agent-*.jsonl` beside it. */
export function sessionFiles(transcript: string): string[] {
  const roots = [transcript];
  const folder = join(dirname(transcript), basename(transcript, '.jsonl'));
  if (existsSync(folder)) roots.push(folder);
  try {
    for (const name of readdirSync(dirname(transcript))) if (/^agent-.*\.jsonl$/.test(name)) roots.push(join(dirname(transcript), name));
  } catch {
    // the transcript's folder is checked when it is read
  }
  return roots;
}
