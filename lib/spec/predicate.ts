/** A spec's predicates read and checked (`where`), and their patterns translated into JavaScript's. */
import { isJsonObject, type JsonValue } from '../jsonl/json.js';
import { SpecError } from '../base/errors.js';
import { describe, opOf, readFieldName } from './checks.js';
import { suggestion } from '../base/suggestion.js';
import { WHERE_OPS, type Predicate, type WhereOp } from './types.js';

const PREDICATE_KEYS = ['field', 'op', 'value', 'case_insensitive'];

/** A pattern's inline flags at its start, as Python reads them there (`(?i)`, `(?im)`, `(?i)(?m)`), and the rest of it. */
export function leadingFlags(pattern: string): { letters: string; rest: string } {
  const inline = /^(?:\(\?[aiLmsux]+\))+/.exec(pattern);
  if (inline === null) return { letters: '', rest: pattern };
  return { letters: inline[0].replace(/[()?]/g, ''), rest: pattern.slice(inline[0].length) };
}

/**
 * A spec's patterns are Python's: their inline flags (`(?i)`, `(?m)`, `(?s)`), named groups
 * (`(?P<n>...)`, `(?P=n)`) and `\A` / `\Z` are translated; no `u` flag, so that escapes Python
 * accepts (`\-`) stay valid.
 */
function translatePattern(pattern: string, where: string): { source: string; flags: string } {
  let source = pattern
    .replace(/\(\?P</g, '(?<')
    .replace(/\(\?P=(\w+)\)/g, '\\k<$1>')
    .replace(/(^|[^\\])\\A/g, '$1(?<![\\s\\S])')
    .replace(/(^|[^\\])\\Z/g, '$1(?![\\s\\S])');
  let flags = '';
  const { letters, rest } = leadingFlags(source);
  if (letters.includes('x')) throw new SpecError(where, 'verbose patterns ((?x)) are not supported; write the pattern without spaces and comments');
  for (const letter of ['i', 'm', 's']) if (letters.includes(letter)) flags += letter;
  source = rest;
  return { source, flags };
}

/** Compiles a `regex` predicate's pattern; an invalid pattern is a spec error, found up front. */
export function compilePattern(pattern: string, caseInsensitive: boolean, where: string): RegExp {
  const { source, flags } = translatePattern(pattern, where);
  const all = caseInsensitive && !flags.includes('i') ? `${flags}i` : flags;
  try {
    return new RegExp(source, all);
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/^Invalid regular expression: /, '') : String(error);
    throw new SpecError(where, `invalid regular expression: ${reason}`);
  }
}

export function readPredicate(raw: unknown, where: string): Predicate {
  if (!isJsonObject(raw)) throw new SpecError(where, `expected a predicate {"field", "op", "value"}, got ${describe(raw)}`);
  for (const key of Object.keys(raw)) {
    if (!PREDICATE_KEYS.includes(key)) {
      throw new SpecError(`${where}.${key}`, `unknown key; expected one of ${PREDICATE_KEYS.join(', ')}${suggestion(key, PREDICATE_KEYS)}`);
    }
  }
  if (!Object.hasOwn(raw, 'field')) throw new SpecError(`${where}.field`, 'missing; a predicate names the field it tests');
  const field = readFieldName(raw.field, `${where}.field`);
  const op: WhereOp = raw.op === undefined ? 'eq' : opOf(raw.op, WHERE_OPS, `${where}.op`);
  const caseInsensitive = raw.case_insensitive ?? false;
  if (typeof caseInsensitive !== 'boolean') {
    throw new SpecError(`${where}.case_insensitive`, `expected true or false, got ${describe(caseInsensitive)}`);
  }
  if (caseInsensitive && op !== 'regex' && op !== 'contains') {
    throw new SpecError(`${where}.case_insensitive`, `applies to ops regex and contains, not "${op}"`);
  }
  const hasValue = Object.hasOwn(raw, 'value');
  const value = raw.value;
  switch (op) {
    case 'exists':
    case 'not_exists':
      return { field, op, value: undefined, caseInsensitive };
    case 'in':
    case 'nin':
      if (!Array.isArray(value)) {
        throw new SpecError(`${where}.value`, `op "${op}" needs a list of values, got ${hasValue ? describe(value) : 'nothing'}`);
      }
      return { field, op, value, caseInsensitive };
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      if (typeof value !== 'number' && typeof value !== 'string') {
        throw new SpecError(`${where}.value`, `op "${op}" needs a number or a string, got ${hasValue ? describe(value) : 'nothing'}`);
      }
      return { field, op, value, caseInsensitive };
    case 'regex':
      if (typeof value !== 'string') {
        throw new SpecError(`${where}.value`, `op "regex" needs a pattern (a string), got ${hasValue ? describe(value) : 'nothing'}`);
      }
      compilePattern(value, caseInsensitive, `${where}.value`);
      return { field, op, value, caseInsensitive };
    case 'contains':
      if (value === undefined || value === null || typeof value === 'object') {
        throw new SpecError(`${where}.value`, `op "contains" needs a string, number or boolean, got ${hasValue ? describe(value) : 'nothing'}`);
      }
      return { field, op, value, caseInsensitive };
    default:
      if (!hasValue) throw new SpecError(`${where}.value`, `missing; op "${op}" compares the field with a value (null for a missing field)`);
      return { field, op, value: value as JsonValue, caseInsensitive };
  }
}

export function readWhere(raw: unknown, where: string): Predicate[] {
  if (!Array.isArray(raw)) throw new SpecError(where, `expected a list of predicates, got ${describe(raw)}`);
  return raw.map((item, i) => readPredicate(item, `${where}[${i}]`));
}
