import { describe, expect, it } from 'vitest';
import { parseShorthand } from '../../lib/spec/shorthand.js';
import { parseTime } from '../../lib/time/parse.js';
import { bucketsAt } from '../../lib/time/buckets.js';
import { instantMs, rowTime } from '../../lib/time/iso.js';
import { emptySpec, readSpec } from '../../lib/spec/validate.js';
import { CATALOG } from '../../lib/datasets/registry.js';
import { AGENTS } from '../../lib/sources/registry.js';
import { SpecError } from '../../lib/base/errors.js';
import { formatSpecOf, groupSpecOf, scanSpecOf, wherePredicates, parseMetricFlag } from '../../lib/spec/from-flags.js';

function specError(raw: unknown): string {
  try {
    readSpec(raw, CATALOG);
  } catch (error) {
    if (error instanceof SpecError) return error.message;
    throw error;
  }
  throw new Error('the spec was accepted');
}

describe('spec validation names the exact place', () => {
  it.each([
    [[], 'spec: expected a JSON object, got a list'],
    [
      {},
      'spec.dataset: missing; expected one of messages, skill_mentions, token_events, token_deltas, token_sessions, tool_calls, tool_outputs, usage, sessions, runs, jsonl (seq datasets describes them)',
    ],
    [
      { dataset: 'skils_mentions' },
      'spec.dataset: unknown dataset "skils_mentions"; expected one of messages, skill_mentions, token_events, token_deltas, token_sessions, tool_calls, tool_outputs, usage, sessions, runs, jsonl; did you mean skill_mentions?',
    ],
    [{ dataset: 'usage', params: { roles: ['user'] } }, 'spec.params.roles: unknown param; expected one of prices, cost'],
    [{ dataset: 'skill_mentions', params: { include_blocks: 'false' } }, 'spec.params.include_blocks: expected true or false, got "false"'],
    [
      { dataset: 'skill_mentions', params: { include_block: false } },
      'spec.params.include_block: unknown param; expected one of include_blocks, include_dollars, skip_dollar_in_skill_block, dedupe_adjacent, roles, skills_dirs, skills; did you mean include_blocks?',
    ],
    [
      { dataset: 'jsonl', fromat: 'csv' },
      'spec.fromat: unknown key; expected one of dataset, params, where, group_by, metrics, select, sort, limit, format, roots, source, project, since, until, tz; did you mean format?',
    ],
    [
      { dataset: 'jsonl', metrics: [{ op: 'median', field: 'x' }] },
      'spec.metrics[0].op: unknown op "median"; expected one of count, sum, sum_strict, min, max, avg, count_distinct',
    ],
    [
      {
        dataset: 'jsonl',
        where: [
          { field: 'a', value: 1 },
          { field: 'b', op: 'gte2', value: 1 },
        ],
      },
      'spec.where[1].op: unknown op "gte2"; expected one of eq, neq, gt, gte, lt, lte, in, nin, contains, regex, exists, not_exists; did you mean gte?',
    ],
    [{ dataset: 'jsonl', where: { field: 'a' } }, 'spec.where: expected a list of predicates, got an object'],
    [{ dataset: 'jsonl', where: [{ op: 'eq', value: 1 }] }, 'spec.where[0].field: missing; a predicate names the field it tests'],
    [{ dataset: 'jsonl', where: [{ field: 'a', op: 'in', value: 'x' }] }, 'spec.where[0].value: op "in" needs a list of values, got "x"'],
    [{ dataset: 'jsonl', where: [{ field: 'a', op: 'gt' }] }, 'spec.where[0].value: op "gt" needs a number or a string, got nothing'],
    [
      { dataset: 'jsonl', where: [{ field: 'a', op: 'eq' }] },
      'spec.where[0].value: missing; op "eq" compares the field with a value (null for a missing field)',
    ],
    [{ dataset: 'jsonl', where: [{ field: 'a', op: 'regex', value: '(' }] }, 'spec.where[0].value: invalid regular expression: /(/: Unterminated group'],
    [
      { dataset: 'jsonl', where: [{ field: 'a', op: 'eq', value: 1, case_insensitive: true }] },
      'spec.where[0].case_insensitive: applies to ops regex and contains, not "eq"',
    ],
    [
      { dataset: 'jsonl', where: [{ field: 'a', op: 'regex', value: 'x', case_insensitive: 'yes' }] },
      'spec.where[0].case_insensitive: expected true or false, got "yes"',
    ],
    [
      { dataset: 'jsonl', where: [{ field: 'a', vlaue: 1 }] },
      'spec.where[0].vlaue: unknown key; expected one of field, op, value, case_insensitive; did you mean value?',
    ],
    [{ dataset: 'jsonl', group_by: 'tool', metrics: [{ op: 'sum' }] }, 'spec.metrics[0].field: missing; metric "sum" needs the field it aggregates'],
    [
      { dataset: 'jsonl', group_by: ['tool'], metrics: [{ op: 'count' }, { op: 'count' }] },
      'spec.metrics[1].as: column "count" is already taken by spec.metrics[0]; give this metric another "as"',
    ],
    [
      { dataset: 'jsonl', group_by: ['tool'], metrics: [{ op: 'sum', field: 'x', as: 'tool' }] },
      'spec.metrics[0].as: column "tool" is already taken by spec.group_by[0]; give this metric another "as"',
    ],
    [
      { dataset: 'jsonl', group_by: ['tool', 'count'] },
      'spec.group_by[1]: column "count" is also the default metric\'s; name a metric, as {"op":"count","as":"n"} (--metric count::n) does',
    ],
    [{ dataset: 'jsonl', group_by: ['a', 'a'] }, 'spec.group_by[1]: "a" is listed twice'],
    [{ dataset: 'jsonl', sort: ['-'] }, 'spec.sort[0]: expected a field name after "-", got "-"'],
    [{ dataset: 'jsonl', limit: -1 }, 'spec.limit: expected a non-negative integer up to 9007199254740991 (0 means no limit), got -1'],
    [{ dataset: 'jsonl', limit: '10' }, 'spec.limit: expected a non-negative integer up to 9007199254740991 (0 means no limit), got "10"'],
    [{ dataset: 'jsonl', limit: 2 ** 63 }, 'spec.limit: expected a non-negative integer up to 9007199254740991 (0 means no limit), got 9223372036854776000'],
    [{ dataset: 'jsonl', limit: 1e300 }, 'spec.limit: expected a non-negative integer up to 9007199254740991 (0 means no limit), got 1e+300'],
    [{ dataset: 'jsonl', metrics: [{ op: 'count', as: 'n\u0000z' }] }, 'spec.metrics[0].as: a column name cannot hold a NUL character, got "n\\u0000z"'],
    [{ dataset: 'jsonl', format: 'xml' }, 'spec.format: unknown format "xml"; expected one of table, jsonl, json, csv, markdown, chart'],
    [{ dataset: 'jsonl', source: 'cursor' }, `spec.source: unknown source "cursor"; expected one of ${AGENTS.map((agent) => agent.name).join(', ')}, auto`],
    [
      { dataset: 'jsonl', tz: 'Mars/Olympus' },
      'spec.tz: unknown time zone "Mars/Olympus"; expected an IANA name such as UTC, Europe/Paris or America/New_York, or "local"',
    ],
    [
      { dataset: 'jsonl', since: 'last week' },
      'spec.since: cannot read "last week" as a date or time; write 2026-01-31, 2026-01-31T14:00, or 2026-01-31T14:00:00Z',
    ],
    [
      { dataset: 'jsonl', since: '2026-02-30' },
      'spec.since: cannot read "2026-02-30" as a date or time; write 2026-01-31, 2026-01-31T14:00, or 2026-01-31T14:00:00Z',
    ],
    [{ dataset: 'jsonl', since: '2026-02-02', until: '2026-02-01' }, 'spec.until: "2026-02-01" is not after since "2026-02-02"; the window would be empty'],
    [{ dataset: 'jsonl', params: { x: false } }, 'spec.params.x: unknown param; dataset "jsonl" takes no params'],
    [{ dataset: 'jsonl', roots: [1] }, 'spec.roots[0]: expected a path, got 1'],
  ])('%j', (raw, message) => {
    expect(specError(raw)).toBe(message);
  });
});

describe('spec defaults', () => {
  it('grouping defaults to a count metric named count, and to the table format', () => {
    const spec = readSpec({ dataset: 'jsonl', group_by: ['tool'] }, CATALOG);
    expect(spec.group).toEqual({ groupBy: ['tool'], metrics: [{ op: 'count', field: undefined, as: 'count' }] });
    expect(formatSpecOf(spec, {}).format).toBe('table');
  });
  it('aliases default to count or OP_FIELD', () => {
    const spec = readSpec(
      {
        dataset: 'jsonl',
        group_by: ['t'],
        metrics: [
          { op: 'sum', field: 'tokens' },
          { op: 'count_distinct', field: 'a.b' },
          { op: 'count', field: 'x' },
        ],
      },
      CATALOG,
    );
    expect(spec.group?.metrics.map((m) => m.as)).toEqual(['sum_tokens', 'count_distinct_a.b', 'count']);
  });
  it('an ungrouped spec defaults to jsonl, no limit, no sort, UTC, auto source', () => {
    const spec = readSpec({ dataset: 'jsonl' }, CATALOG);
    expect(formatSpecOf(spec, {})).toEqual({ select: undefined, sort: [], limit: 0, format: 'jsonl' });
    expect(spec.tz).toBe('UTC');
    expect(spec.source).toBe('auto');
    expect(spec.group).toBeUndefined();
  });
  it('metrics without group_by are one row of totals, shown as a table', () => {
    const spec = readSpec({ dataset: 'jsonl', metrics: [{ op: 'sum', field: 'tokens' }] }, CATALOG);
    expect(spec.group?.groupBy).toEqual([]);
    expect(formatSpecOf(spec, {}).format).toBe('table');
  });
  it('a string is a one-item list for group_by, select, sort and roots', () => {
    const spec = readSpec({ dataset: 'jsonl', group_by: 'tool', select: 'tool', sort: '-count', roots: 'a.jsonl' }, CATALOG);
    expect(spec.group?.groupBy).toEqual(['tool']);
    expect(spec.select).toEqual(['tool']);
    expect(spec.sort).toEqual([{ field: 'count', descending: true }]);
    expect(spec.roots).toEqual(['a.jsonl']);
  });
});

describe('flags over a spec', () => {
  const spec = readSpec(
    {
      dataset: 'jsonl',
      where: [{ field: 'a', value: 1 }],
      group_by: ['tool'],
      metrics: [{ op: 'sum', field: 'x', as: 'x' }],
      sort: 'tool',
      limit: 5,
      format: 'csv',
    },
    CATALOG,
  );
  it('--where adds to the spec where', () => {
    expect(wherePredicates(['b > 2']).length).toBe(1);
  });
  it('--by keeps the spec metrics; --metric replaces them', () => {
    expect(groupSpecOf(spec, { by: ['day,source'] })).toEqual({ groupBy: ['day', 'source'], metrics: [{ op: 'sum', field: 'x', as: 'x' }] });
    expect(groupSpecOf(spec, { metric: ['avg:y'] })).toEqual({ groupBy: ['tool'], metrics: [{ op: 'avg', field: 'y', as: 'avg_y' }] });
  });
  it('format flags replace the spec values', () => {
    expect(formatSpecOf(spec, { sort: ['-x'], limit: '0', format: 'json', select: ['x,tool'] })).toEqual({
      select: ['x', 'tool'],
      sort: [{ field: 'x', descending: true }],
      limit: 0,
      format: 'json',
    });
  });
  it('flag errors name the flag', () => {
    expect(() => groupSpecOf(spec, { metric: ['median:x'] })).toThrow(
      '--metric[0].op: unknown op "median"; expected one of count, sum, sum_strict, min, max, avg, count_distinct',
    );
    expect(() => formatSpecOf(spec, { limit: 'ten' })).toThrow('--limit: expected a non-negative integer up to 9007199254740991 (0 means no limit), got "ten"');
    expect(() => parseMetricFlag('sum:a:b:c', '--metric[0]')).toThrow(
      '--metric[0]: "sum:a:b:c": write OP[:FIELD[:NAME]], e.g. count, sum:tokens, sum:tokens:total',
    );
    expect(() => scanSpecOf(emptySpec(), {}, [], CATALOG)).toThrow('--dataset: missing; name the dataset to scan');
    expect(() => scanSpecOf(spec, { param: ['x=1'] }, [], CATALOG)).toThrow('--param.x: unknown param; dataset "jsonl" takes no params');
    // An empty name is no name: the flag without its value, '', or two commas.
    for (const by of [[''], ['a,,b'], ['a,']]) expect(() => groupSpecOf(spec, { by }), by[0]).toThrow(`--by: an empty name in "${by[0]}"`);
    expect(() => formatSpecOf(spec, { select: [''] })).toThrow('--select: an empty name in ""; write names between commas (a,b)');
    const messages = readSpec({ dataset: 'messages' }, CATALOG);
    expect(() => scanSpecOf(messages, { roles: ['user,robot'] }, [], CATALOG)).toThrow(
      '--roles[1]: unknown roles value "robot"; expected one of user, assistant, developer, system',
    );
    // Each param's error names where it was given: the flag, --param, or the spec, whichever the others are.
    expect(() => scanSpecOf(messages, { param: ['roles=["robot"]'] }, [], CATALOG)).toThrow('--param.roles[0]: unknown roles value "robot"');
    const specRoles = readSpec({ dataset: 'messages', params: { roles: ['user'] } }, CATALOG);
    const badSpecRoles = { ...specRoles, params: { roles: ['robot'] } };
    expect(() => scanSpecOf(badSpecRoles, { 'skills-dir': ['/x'] }, [], CATALOG)).toThrow('spec.params.roles[0]: unknown roles value "robot"');
    // Digits past 2^53 are quoted as typed, not as the double they round to.
    expect(() => formatSpecOf(spec, { limit: '99999999999999999' })).toThrow(
      '--limit: expected a non-negative integer up to 9007199254740991 (0 means no limit), got "99999999999999999"',
    );
    expect(scanSpecOf(messages, { roles: ['user,system'] }, [], CATALOG).params.roles).toEqual(['user', 'system']);
  });
  it('positional paths and --root replace the spec roots; --tz changes how dates read', () => {
    const withRoots = readSpec({ dataset: 'jsonl', roots: ['r1'], since: '2026-01-01' }, CATALOG);
    expect(scanSpecOf(withRoots, {}, [], CATALOG).roots).toEqual(['r1']);
    expect(scanSpecOf(withRoots, { root: ['r2'] }, ['p1'], CATALOG).roots).toEqual(['p1', 'r2']);
    expect(scanSpecOf(withRoots, {}, [], CATALOG).window.sinceMs).toBe(Date.UTC(2026, 0, 1));
    expect(scanSpecOf(withRoots, { tz: 'Asia/Tokyo' }, [], CATALOG).window.sinceMs).toBe(Date.UTC(2025, 11, 31, 15));
  });
});

describe('--where shorthand', () => {
  it.each([
    ['skill == tk', { field: 'skill', op: 'eq', value: 'tk' }],
    ['tokens > 1000', { field: 'tokens', op: 'gt', value: 1000 }],
    ['tokens>=1e3', { field: 'tokens', op: 'gte', value: 1000 }],
    ['tool ~ ^mcp__', { field: 'tool', op: 'regex', value: '^mcp__' }],
    ['tool ~* ^MCP', { field: 'tool', op: 'regex', value: '^MCP', case_insensitive: true }],
    ['model in [a,b]', { field: 'model', op: 'in', value: ['a', 'b'] }],
    ['model in opus,sonnet[1m]', { field: 'model', op: 'in', value: ['opus', 'sonnet[1m]'] }],
    ['n in [1, "1", true]', { field: 'n', op: 'in', value: [1, '1', true] }],
    ['model not in a,b', { field: 'model', op: 'nin', value: ['a', 'b'] }],
    ['cwd exists', { field: 'cwd', op: 'exists' }],
    ['cwd !exists', { field: 'cwd', op: 'not_exists' }],
    ['id == "123"', { field: 'id', op: 'eq', value: '123' }],
    ['id != null', { field: 'id', op: 'neq', value: null }],
    ['day = 2026-01-01', { field: 'day', op: 'eq', value: '2026-01-01' }],
    ['text icontains "a b"', { field: 'text', op: 'contains', value: 'a b', case_insensitive: true }],
    ['meta.files lte 3', { field: 'meta.files', op: 'lte', value: 3 }],
    ['a == "= 1"', { field: 'a', op: 'eq', value: '= 1' }],
    ['text~<command-name>', { field: 'text', op: 'regex', value: '<command-name>' }],
    ['cwd=~/x', { field: 'cwd', op: 'regex', value: '/x' }],
    ['cwd!=~/x', { field: 'cwd', op: 'neq', value: '~/x' }],
  ])('%s', (text, predicate) => {
    expect(parseShorthand(text, '--where[0]')).toEqual(predicate);
  });
  it.each([
    ['tokens >', '--where[0]: "tokens >": missing the value after the operator; write FIELD OP VALUE'],
    ['tokens', '--where[0]: "tokens": expected an operator after "tokens", got nothing'],
    ['tokens is 3', '--where[0]: "tokens is 3": expected an operator after "tokens", got "is"'],
    ['cwd exists now', '--where[0]: "cwd exists now": "exists" takes no value'],
    ['a === 1', '--where[0]: "a === 1": "===" is no operator'],
    ['a => 1', '--where[0]: "a => 1": "=>" is no operator'],
    ['b in [x,y', '--where[0]: the list "[x,y" has no closing "]"'],
    ['b not in [x', '--where[0]: the list "[x" has no closing "]"'],
  ])('%s is refused', (text, message) => {
    expect(() => parseShorthand(text, '--where[0]')).toThrow(message);
  });
});

describe('dates and times', () => {
  it('reads dates as whole days and times with or without a zone', () => {
    expect(parseTime('2026-03-01', 'UTC')).toEqual({ startMs: Date.UTC(2026, 2, 1), endMs: Date.UTC(2026, 2, 2) });
    expect(parseTime('2026-03-01T10:30', 'UTC')?.startMs).toBe(Date.UTC(2026, 2, 1, 10, 30));
    expect(parseTime('2026-03-01 10:30:05.250Z', 'Europe/Paris')?.startMs).toBe(Date.UTC(2026, 2, 1, 10, 30, 5, 250));
    expect(parseTime('2026-03-01T10:30:00+02:00', 'UTC')?.startMs).toBe(Date.UTC(2026, 2, 1, 8, 30));
    expect(parseTime('2026-03-01T10:30:00-0530', 'UTC')?.startMs).toBe(Date.UTC(2026, 2, 1, 16, 0));
  });
  it('reads wall-clock times in the zone, across daylight-saving changes', () => {
    // New York: UTC-5 in winter, UTC-4 from 2026-03-08 02:00 local.
    expect(parseTime('2026-03-07T12:00', 'America/New_York')?.startMs).toBe(Date.UTC(2026, 2, 7, 17));
    expect(parseTime('2026-03-09T12:00', 'America/New_York')?.startMs).toBe(Date.UTC(2026, 2, 9, 16));
    const day = parseTime('2026-03-08', 'America/New_York');
    expect(day && (day.endMs - day.startMs) / 3_600_000).toBe(23);
  });
  it('reads a wall-clock time on a day the clocks change as the clock shows it', () => {
    // Sydney goes to UTC+11 at 02:00 on 2025-10-05: that day's midnight is still UTC+10.
    expect(parseTime('2025-10-05', 'Australia/Sydney')?.startMs).toBe(Date.UTC(2025, 9, 4, 14));
    expect(parseTime('2025-10-04', 'Australia/Sydney')?.endMs).toBe(Date.UTC(2025, 9, 4, 14));
    // Berlin goes to UTC+2 at 02:00 on 2025-03-30: 01:30 is UTC+1, 03:30 UTC+2; 02:30 is never
    // shown and moves forward by the hour skipped.
    expect(parseTime('2025-03-30T01:30', 'Europe/Berlin')?.startMs).toBe(Date.UTC(2025, 2, 30, 0, 30));
    expect(parseTime('2025-03-30T03:30', 'Europe/Berlin')?.startMs).toBe(Date.UTC(2025, 2, 30, 1, 30));
    expect(parseTime('2025-03-30T02:30', 'Europe/Berlin')?.startMs).toBe(Date.UTC(2025, 2, 30, 1, 30));
    // Back to UTC+1 at 03:00 on 2025-10-26: 02:30 is shown twice, and the earlier wins.
    expect(parseTime('2025-10-26T02:30', 'Europe/Berlin')?.startMs).toBe(Date.UTC(2025, 9, 26, 0, 30));
    // Cairo's clocks skip its midnight on 2025-04-25: the day begins at 01:00, UTC+3.
    expect(parseTime('2025-04-25', 'Africa/Cairo')?.startMs).toBe(Date.UTC(2025, 3, 24, 22));
    expect(parseTime('2025-10-05', 'Australia/Lord_Howe')?.startMs).toBe(Date.UTC(2025, 9, 4, 13, 30));
  });
  it("a row's day holds it: --since DAY --until DAY in the same zone keeps every row labelled DAY", () => {
    // Every half hour of 2025 (changes at or near midnight in Cairo, Sydney, Santiago; Lord
    // Howe's of half an hour) and of Apia's skipped day in 2011: each day's edges are tried on
    // both sides, as a change moves them by half an hour at least.
    const zones = [
      'Europe/Berlin',
      'Australia/Sydney',
      'Australia/Lord_Howe',
      'America/Santiago',
      'Africa/Cairo',
      'Asia/Kathmandu',
      'America/Havana',
      'Pacific/Apia',
    ];
    const spans = [
      [Date.UTC(2025, 0, 1), Date.UTC(2026, 0, 1)],
      [Date.UTC(2011, 11, 28), Date.UTC(2012, 0, 2)],
    ] as const;
    const outside: string[] = [];
    for (const zone of zones) {
      const days = new Map<string, ReturnType<typeof parseTime>>();
      for (const [from, to] of spans) {
        for (let ms = from + 7.5 * 60_000; ms < to; ms += 30 * 60_000) {
          const label = bucketsAt(ms, zone).day;
          if (!days.has(label)) days.set(label, parseTime(label, zone));
          const day = days.get(label);
          if (day === undefined || ms < day.startMs || ms >= day.endMs) outside.push(`${zone} ${new Date(ms).toISOString()} ${label}`);
        }
      }
    }
    expect(outside).toEqual([]);
  });
  it("reads a log's timestamp one way, in UTC where it names no zone, and rows carry it in UTC", () => {
    expect(instantMs('2026-03-01T23:30:00.000')).toBe(Date.UTC(2026, 2, 1, 23, 30));
    expect(instantMs('2026-03-01T23:30:00+00')).toBe(Date.UTC(2026, 2, 1, 23, 30));
    expect(instantMs('2026-03-01T23:30:00.1234567890Z')).toBe(Date.UTC(2026, 2, 1, 23, 30, 0, 123));
    expect(instantMs('2026-03-01T08:00:00-05:00')).toBe(Date.UTC(2026, 2, 1, 13));
    expect(instantMs('Sun, 01 Mar 2026 23:30:00 GMT')).toBeNaN();
    expect(instantMs('2016-12-31T23:59:60.000Z')).toBeNaN();
    expect(instantMs('2026-02-30T10:00:00.000Z')).toBeNaN();
    expect(rowTime('2026-03-01T08:00:00-05:00', instantMs('2026-03-01T08:00:00-05:00'))).toBe('2026-03-01T13:00:00.000Z');
    expect(rowTime('2026-03-01T23:30:00.000Z', Date.UTC(2026, 2, 1, 23, 30))).toBe('2026-03-01T23:30:00.000Z');
    expect(rowTime('soon', NaN)).toBe('soon');
  });
  it('writes a year before 1000 with four digits in days, weeks and months', () => {
    expect(bucketsAt(instantMs('0099-03-01T00:00:00Z'), 'UTC')).toEqual({ day: '0099-03-01', week: '0099-W09', month: '0099-03' });
    expect(bucketsAt(instantMs('0999-12-31T12:00:00Z'), 'UTC').day).toBe('0999-12-31');
  });
  it('refuses what is not a date', () => {
    expect(parseTime('2026-13-01', 'UTC')).toBeUndefined();
    expect(parseTime('yesterday', 'UTC')).toBeUndefined();
    expect(parseTime('2026-01-01T25:00', 'UTC')).toBeUndefined();
    expect(parseTime('2026-01-01T10:00+99:99', 'UTC')).toBeUndefined();
    expect(parseTime('2026-01-01T10:00+24:00', 'UTC')).toBeUndefined();
    expect(parseTime('2026-01-01T10:00-05:60', 'UTC')).toBeUndefined();
    expect(parseTime('2026-01-01T10:00+23:59', 'UTC')?.startMs).toBe(Date.UTC(2025, 11, 31, 10, 1));
  });
});
