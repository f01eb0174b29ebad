/** The parts of a Codex rollout's payloads the reader takes apart: tool output text, message text, a sub-agent's parent, the id in a file name. */

export type Json = Record<string, unknown>;

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

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
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
