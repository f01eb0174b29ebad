/** seq-filter: keeps the records for which every `where` predicate holds. */
import type { Transform } from 'node:stream';
import type { JsonValue, Row } from '../jsonl/json.js';
import type { FilterSpec, Predicate } from '../spec/types.js';
import { fieldGetter } from './fields.js';
import { stage } from '../base/transform.js';
import { isMissing, stringForm, toNumber, valuesEqual } from '../jsonl/values.js';
import { compilePattern } from '../spec/predicate.js';

export type RowTest = (row: Row) => boolean;

function ordered(op: 'gt' | 'gte' | 'lt' | 'lte', order: number): boolean {
  switch (op) {
    case 'gt':
      return order > 0;
    case 'gte':
      return order >= 0;
    case 'lt':
      return order < 0;
    case 'lte':
      return order <= 0;
  }
}

/**
 * Numbers (and numeric strings) compare as numbers; two strings that are not numbers compare as
 * text, so `day gte 2026-01-01` works; anything else, and a missing field, never matches.
 */
function compareOrdered(value: JsonValue | undefined, target: JsonValue): number | undefined {
  if (isMissing(value)) return undefined;
  const a = toNumber(value);
  const b = toNumber(target);
  if (a !== undefined && b !== undefined) {
    if (Number.isNaN(a) || Number.isNaN(b)) return undefined;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (typeof value === 'string' && typeof target === 'string') return value < target ? -1 : value > target ? 1 : 0;
  return undefined;
}

export function compilePredicate(predicate: Predicate, where = 'where'): RowTest {
  const get = fieldGetter(predicate.field);
  const target = predicate.value;
  switch (predicate.op) {
    case 'eq':
      return (row) => valuesEqual(get(row), target);
    case 'neq':
      return (row) => !valuesEqual(get(row), target);
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const op = predicate.op;
      const bound = target ?? null;
      return (row) => {
        const order = compareOrdered(get(row), bound);
        return order !== undefined && ordered(op, order);
      };
    }
    case 'in':
    case 'nin': {
      const options = Array.isArray(target) ? target : [];
      const wanted = predicate.op === 'in';
      return (row) => {
        const value = get(row);
        return options.some((option) => valuesEqual(value, option)) === wanted;
      };
    }
    case 'contains': {
      if (predicate.caseInsensitive) {
        const needle = stringForm(target).toLowerCase();
        return (row) => stringForm(get(row)).toLowerCase().includes(needle);
      }
      const needle = stringForm(target);
      return (row) => stringForm(get(row)).includes(needle);
    }
    case 'regex': {
      const pattern = compilePattern(stringForm(target), predicate.caseInsensitive, where);
      return (row) => pattern.test(stringForm(get(row)));
    }
    case 'exists':
      return (row) => !isMissing(get(row));
    case 'not_exists':
      return (row) => isMissing(get(row));
  }
}

/** All predicates must hold; no predicates keeps everything. */
export function compileWhere(where: Predicate[]): RowTest {
  const tests = where.map((predicate, i) => compilePredicate(predicate, `where[${i}]`));
  if (tests.length === 0) return () => true;
  if (tests.length === 1) return tests[0] as RowTest;
  return (row) => tests.every((test) => test(row));
}

export function filterStage(spec: FilterSpec): Transform {
  const keep = compileWhere(spec.where);
  return stage<Row, Row>({
    record(row, push) {
      if (keep(row)) push(row);
    },
  });
}
