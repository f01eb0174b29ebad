/**
 * A member of a line written twice (JSON.parse keeps the last): a key of the line, of its
 * message or of its usage, written again with another value before the others of its object or
 * after them.
 */
export function repeatMember(line: string, pick: number, last: boolean, value: unknown): string {
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch {
    return line;
  }
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return line;
  const top = record as Record<string, unknown>;
  const message = isObject(top.message) ? top.message : undefined;
  const usage = message !== undefined && isObject(message.usage) ? message.usage : undefined;
  const keys: Array<[string, string]> = [
    ...Object.keys(top).map((key): [string, string] => ['', key]),
    ...Object.keys(message ?? {}).map((key): [string, string] => ['"message":{', key]),
    ...Object.keys(usage ?? {}).map((key): [string, string] => ['"usage":{', key]),
  ];
  const [object, key] = keys[pick % Math.max(1, keys.length)] ?? ['', 'type'];
  const member = `${JSON.stringify(key)}:${JSON.stringify(value)}`;
  const open = object === '' ? 0 : line.indexOf(object) + object.length - 1;
  if (open < 0 || line[open] !== '{') return line;
  if (!last) return `${line.slice(0, open + 1)}${member},${line.slice(open + 1)}`;
  const close = closingBrace(line, open);
  return close < 0 ? line : `${line.slice(0, close)},${member}${line.slice(close)}`;
}

/** The line with its type written last (after its message), as no Claude Code line is. */
export function typeLast(line: string): string {
  try {
    const record = JSON.parse(line) as Record<string, unknown>;
    if (!('type' in record)) return line;
    const { type, ...rest } = record;
    return JSON.stringify({ ...rest, type });
  } catch {
    return line;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The index of the `}` that closes the object whose `{` is at `open` (JSON as JSON.stringify writes it). */
function closingBrace(text: string, open: number): number {
  let depth = 0;
  let inString = false;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}
