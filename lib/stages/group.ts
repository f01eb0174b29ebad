/**
 * seq-group: one row per distinct combination of the group fields, with the metrics of the rows
 * in it. Memory is one entry per group. Groups come out in the order they were first seen;
 * seq-format sorts them. Without group fields, every row falls into one group (a total).
 */
import type { Transform } from 'node:stream';
import { emptyRow, type JsonValue, type Row } from '../jsonl/json.js';
import type { GroupSpec, Metric } from '../spec/types.js';
import { fieldGetter, type FieldGetter } from './fields.js';
import { stage } from '../base/transform.js';
import { compareValues, isMissing, toNumber, valueKey } from '../jsonl/values.js';

/** One metric's running state in one group. */
interface Accumulator {
  add(row: Row): void;
  result(): JsonValue;
}

type AccumulatorFactory = () => Accumulator;

function accumulatorFor(metric: Metric): AccumulatorFactory {
  const get: FieldGetter = metric.field === undefined ? () => undefined : fieldGetter(metric.field);
  switch (metric.op) {
    case 'count':
      return () => {
        let n = 0;
        return { add: () => void n++, result: () => n };
      };
    case 'sum':
      return () => {
        let total = 0;
        return {
          add(row) {
            const value = toNumber(get(row));
            if (value !== undefined) total += value;
          },
          result: () => total,
        };
      };
    // A total that leaves nothing out: a row without a number makes it null (a cost with a request of no price).
    case 'sum_strict':
      return () => {
        let total: number | null = 0;
        return {
          add(row) {
            if (total === null) return;
            const value = toNumber(get(row));
            total = value === undefined ? null : total + value;
          },
          result: () => total,
        };
      };
    case 'avg':
      return () => {
        let total = 0;
        let n = 0;
        return {
          add(row) {
            const value = toNumber(get(row));
            if (value !== undefined) {
              total += value;
              n++;
            }
          },
          result: () => (n === 0 ? null : total / n),
        };
      };
    case 'min':
    case 'max': {
      const sign = metric.op === 'min' ? -1 : 1;
      return () => {
        let best: JsonValue | undefined;
        return {
          add(row) {
            const value = get(row);
            if (isMissing(value)) return;
            if (best === undefined || compareValues(value, best) * sign > 0) best = value;
          },
          result: () => (best === undefined ? null : best),
        };
      };
    }
    case 'count_distinct':
      return () => {
        const seen = new Set<string>();
        return {
          add(row) {
            const value = get(row);
            if (!isMissing(value)) seen.add(valueKey(value));
          },
          result: () => seen.size,
        };
      };
  }
}

interface Group {
  values: JsonValue[];
  accumulators: Accumulator[];
}

/** The groups of seq-group, one entry per group, filled row by row. */
export class Grouping {
  private readonly getters: FieldGetter[];
  private readonly factories: Array<() => Accumulator>;
  private readonly groups = new Map<string, Group>();
  /** With one group field, its text values' groups by the text itself: no key is made per row. */
  private readonly byText = new Map<string, Group>();

  constructor(private readonly spec: GroupSpec) {
    this.getters = spec.groupBy.map(fieldGetter);
    this.factories = spec.metrics.map(accumulatorFor);
    // Without group fields there is one group, and it exists even for empty input (a total of 0).
    if (this.getters.length === 0) this.groups.set('', this.newGroup([]));
  }

  private newGroup(values: JsonValue[]): Group {
    return { values, accumulators: this.factories.map((make) => make()) };
  }

  add(row: Row): void {
    if (this.getters.length === 1) {
      const value = (this.getters[0] as FieldGetter)(row);
      if (typeof value === 'string') {
        let group = this.byText.get(value);
        if (group === undefined) {
          group = this.groupOf([value]);
          this.byText.set(value, group);
        }
        for (const accumulator of group.accumulators) accumulator.add(row);
        return;
      }
    }
    const values: JsonValue[] = [];
    for (const get of this.getters) {
      const value = get(row);
      values.push(value === undefined ? null : value);
    }
    const group = this.groupOf(values);
    for (const accumulator of group.accumulators) accumulator.add(row);
  }

  /** The group of these values, made where there is none yet. */
  private groupOf(values: JsonValue[]): Group {
    // One field: its value key; several: a JSON list of them, so that no text can forge a key.
    const key = values.length === 0 ? '' : values.length === 1 ? valueKey(values[0]) : JSON.stringify(values.map(valueKey));
    let group = this.groups.get(key);
    if (!group) {
      group = this.newGroup(values);
      this.groups.set(key, group);
    }
    return group;
  }

  /** One row per group, in the order each group was first seen. */
  *rows(): Generator<Row> {
    for (const group of this.groups.values()) {
      const out = emptyRow();
      this.spec.groupBy.forEach((name, i) => {
        out[name] = group.values[i] ?? null;
      });
      this.spec.metrics.forEach((metric, i) => {
        const value = group.accumulators[i]?.result() ?? null;
        // A sum past the largest double is no number JSON can write: null, as in a pipe.
        out[metric.as] = typeof value === 'number' && !Number.isFinite(value) ? null : value;
      });
      yield out;
    }
  }
}

export function groupStage(spec: GroupSpec): Transform {
  const grouping = new Grouping(spec);
  return stage<Row, Row>({
    record(row) {
      grouping.add(row);
    },
    end(push) {
      for (const row of grouping.rows()) push(row);
    },
  });
}
