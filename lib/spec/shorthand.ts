/**
 * The `--where` shorthand a person can type: `skill == tk`, `tokens > 1000`, `tool ~ ^mcp__`,
 * `model in [a,b]`, `cwd exists`. It becomes the same predicate object a spec holds, and is then
 * checked by the same reader. A `--where` that starts with `{` or `[` is JSON instead.
 */
import type { JsonValue } from '../jsonl/json.js';
import { SpecError } from '../base/errors.js';

const SYMBOLS: Array<[string, string, boolean?]> = [
  // [written, op, case-insensitive]; longest first so that ">=" is not read as ">".
  ['~*', 'regex', true],
  ['>=', 'gte'],
  ['<=', 'lte'],
  ['==', 'eq'],
  ['!=', 'neq'],
  ['=~', 'regex'],
  ['~', 'regex'],
  ['>', 'gt'],
  ['<', 'lt'],
  ['=', 'eq'],
];

const WORDS: Record<string, [string, boolean?]> = {
  eq: ['eq'],
  neq: ['neq'],
  gt: ['gt'],
  gte: ['gte'],
  lt: ['lt'],
  lte: ['lte'],
  in: ['in'],
  nin: ['nin'],
  'not in': ['nin'],
  contains: ['contains'],
  icontains: ['contains', true],
  regex: ['regex'],
  iregex: ['regex', true],
  exists: ['exists'],
  not_exists: ['not_exists'],
  '!exists': ['not_exists'],
  'not exists': ['not_exists'],
};

const HELP = `write FIELD OP VALUE, e.g. 'tokens > 1000', 'skill == tk', 'tool ~ ^mcp__', 'model in [a,b]', 'cwd exists'`;

/** A typed value: JSON when it parses (42, true, null, "quoted", [1,2]), else the text itself. */
function jsonOrText(text: string): JsonValue {
  const trimmed = text.trim();
  try {
    return JSON.parse(trimmed) as JsonValue;
  } catch {
    return trimmed; // not JSON: a bare word
  }
}

function list(text: string, where: string): JsonValue[] {
  const trimmed = text.trim();
  try {
    const value: unknown = JSON.parse(trimmed);
    if (Array.isArray(value)) return value as JsonValue[];
  } catch {
    // not a JSON list: [a, b] or a,b
  }
  const opens = trimmed.startsWith('[');
  // A list opened with "[" and not closed is cut short; a value may end in "]" (`sonnet[1m]`).
  if (opens && !trimmed.endsWith(']')) throw new SpecError(where, `the list ${JSON.stringify(trimmed)} has no closing "]"; ${HELP}`);
  const inner = opens ? trimmed.slice(1, -1) : trimmed;
  if (inner.trim() === '') throw new SpecError(where, `the list is empty; ${HELP}`);
  return inner.split(',').map(jsonOrText);
}

/** Text as written, unless it is a quoted JSON string (then its content). */
function text(value: string): string {
  const trimmed = value.trim();
  if (trimmed.startsWith('"') && trimmed.endsWith('"') && trimmed.length >= 2) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (typeof parsed === 'string') return parsed;
    } catch {
      // keep as written
    }
  }
  return trimmed;
}

/** Reads one `--where` shorthand into a raw predicate for readPredicate to check. */
export function parseShorthand(input: string, where: string): Record<string, JsonValue> {
  const source = input.trim();
  const field = /^[^\s=!<>~]+/.exec(source)?.[0];
  if (field === undefined) throw new SpecError(where, `"${input}" does not start with a field name; ${HELP}`);
  const rest = source.slice(field.length).trim();

  let op: string | undefined;
  let caseInsensitive = false;
  let valueText = '';
  const lower = rest.toLowerCase();
  const word = Object.keys(WORDS)
    .sort((a, b) => b.length - a.length)
    .find((w) => lower === w || lower.startsWith(`${w} `) || (w.startsWith('!') && lower.startsWith(w)));
  if (word !== undefined) {
    const entry = WORDS[word];
    op = entry?.[0];
    caseInsensitive = entry?.[1] ?? false;
    valueText = rest.slice(word.length);
  } else {
    const symbol = SYMBOLS.find(([written]) => rest.startsWith(written));
    if (symbol) {
      op = symbol[1];
      caseInsensitive = symbol[2] ?? false;
      valueText = rest.slice(symbol[0].length);
      // `===`, `=>`, `!==`: no comparison of ours; a value that starts so is written quoted ("= 1").
      // A regular expression may start with any of them (`text~<command-name>`), a path with ~.
      const more = op === 'regex' ? undefined : /^[=<>!]+/.exec(valueText)?.[0];
      if (more !== undefined)
        throw new SpecError(where, `"${input}": "${symbol[0]}${more}" is no operator; ${HELP} (quote a value that starts with ${more[0]})`);
    }
  }
  if (op === undefined) {
    const shown = rest === '' ? 'nothing' : `"${rest.split(/\s+/)[0]}"`;
    throw new SpecError(where, `"${input}": expected an operator after "${field}", got ${shown}; ${HELP}`);
  }
  if (op === 'exists' || op === 'not_exists') {
    if (valueText.trim() !== '') throw new SpecError(where, `"${input}": "${op}" takes no value; write '${field} exists'`);
    return { field, op };
  }
  if (valueText.trim() === '') throw new SpecError(where, `"${input}": missing the value after the operator; ${HELP}`);
  let value: JsonValue;
  if (op === 'in' || op === 'nin') value = list(valueText, where);
  else if (op === 'regex' || op === 'contains') value = text(valueText);
  else value = jsonOrText(valueText);
  const predicate: Record<string, JsonValue> = { field, op, value };
  if (caseInsensitive) predicate.case_insensitive = true;
  return predicate;
}
