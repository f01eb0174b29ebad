/** The parts of a Codex rollout's payloads the reader takes apart: tool output text, message text, a sub-agent's parent, a turn's start, the id in a file name. */
import { isObject, str, type Json } from '../common/json-values.js';
import { instantMs } from '../../time/iso.js';

const EXIT_CODE = /^Process exited with code (-?\d+)$/m;

/** The text of a tool output: a string (the text, or JSON holding it as "output" with the exit code in "metadata"), or content items. */
export function outputText(output: unknown): { text: string; exitCode: number | undefined } {
  if (typeof output === 'string') {
    if (output.startsWith('{"output":')) {
      try {
        const inner = JSON.parse(output) as { output?: unknown; metadata?: { exit_code?: unknown } };
        if (typeof inner.output === 'string')
          return { text: inner.output, exitCode: typeof inner.metadata?.exit_code === 'number' ? inner.metadata.exit_code : undefined };
      } catch {
        // not the JSON form after all: the text as it is
      }
    }
    const code = EXIT_CODE.exec(output)?.[1];
    return { text: output, exitCode: code === undefined ? undefined : Number(code) };
  }
  if (Array.isArray(output)) return { text: contentText(output), exitCode: undefined };
  if (isObject(output) && typeof output.content === 'string') return { text: output.content, exitCode: undefined };
  return { text: '', exitCode: undefined };
}

/** The text of a message's content parts (input_text / output_text), joined by newlines. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  const parts: string[] = [];
  for (const part of content) {
    if (isObject(part) && (part.type === 'input_text' || part.type === 'output_text') && typeof part.text === 'string') parts.push(part.text);
  }
  return parts.join('\n');
}

export function parentOf(payload: Json): string | undefined {
  const source = payload.source;
  if (isObject(source) && isObject(source.subagent)) {
    const spawn = source.subagent.thread_spawn;
    if (isObject(spawn) && typeof spawn.parent_thread_id === 'string') return spawn.parent_thread_id;
  }
  return str(payload.forked_from_id) ?? str(payload.parent_thread_id);
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** The session id a file name carries (rollout-...-<uuid>.jsonl), else the name itself. */
export function idFromPath(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const matches = name.match(new RegExp(UUID.source, 'gi'));
  return matches?.[matches.length - 1] ?? name.replace(/\.jsonl(\.zst)?$|\.json$/, '');
}

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/**
 * When a turn began, from its task_started payload. A turn copied into a fork's rollout is
 * written at the time of the copy, but keeps its id and its `started_at`: the instant of its id
 * where that is a UUIDv7 (Codex's turn ids are, to the millisecond), else its `started_at` (ISO
 * text; or whole seconds, taken as the end of that second so that a turn begun in the child's
 * first second is the child's), else the line's time. NaN where none reads.
 */
export function turnStartMs(payload: Json, lineTime: string | undefined): number {
  const id = payload.turn_id;
  if (typeof id === 'string' && UUID_V7.test(id)) return Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
  const started = payload.started_at;
  if (typeof started === 'string') {
    const ms = instantMs(started);
    if (!Number.isNaN(ms)) return ms;
  }
  if (typeof started === 'number' && Number.isFinite(started) && started > 0) return started < 1e11 ? started * 1000 + 999 : started;
  return instantMs(lineTime ?? '');
}
