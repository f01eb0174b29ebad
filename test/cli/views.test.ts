/**
 * The period and session views (seq daily, weekly, monthly, session): specs in specs/ run by
 * seq query, checked against ccusage 20's daily view and against their own breakdowns.
 */
import { cpSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ccusageDaily, requireCcusage } from '../helpers/ccusage.js';
import { run } from '../helpers/cli.js';
import { generatedSessions } from '../helpers/sessions.js';
import { claudeHome } from '../helpers/claude-times.js';

interface Period {
  input: number;
  output: number;
  cache_write: number;
  cache_read: number;
  total: number;
  cost_usd: number;
  requests: number;
  [key: string]: unknown;
}

let examples: string;

beforeAll(() => {
  examples = generatedSessions();
});

/** A view's rows as JSON (`--json`), in UTC unless `env` sets TZ and the args leave --tz out. */
function view(args: string[], env: Record<string, string> = {}): Period[] {
  const r = run('seq', [...args, '--json', examples], { env: { TZ: 'UTC', ...env } });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as Period[];
}

const TOKENS = ['input', 'output', 'cache_write', 'cache_read', 'total', 'requests'] as const;

/** The rows summed by `key`, tokens and cost. */
function sumBy(rows: Period[], key: string): Map<string, Record<string, number>> {
  const sums = new Map<string, Record<string, number>>();
  for (const row of rows) {
    const at = String(row[key]);
    const sum = sums.get(at) ?? Object.fromEntries([...TOKENS, 'cost_usd'].map((field) => [field, 0]));
    for (const field of [...TOKENS, 'cost_usd'] as const) sum[field] += row[field] as number;
    sums.set(at, sum);
  }
  return sums;
}

describe('seq daily, weekly, monthly, session', () => {
  it.skipIf(!requireCcusage()).each(['claude', 'codex'])('%s: seq daily is ccusage daily, day by day, tokens and cost', (source) => {
    const ours = view(['daily', '--source', source]);
    const folder = mkdtempSync(join(tmpdir(), 'seq-views-'));
    cpSync(join(examples, source), folder, { recursive: true });
    const theirs = ccusageDaily(source, source === 'claude' ? { CLAUDE_CONFIG_DIR: folder } : { CODEX_HOME: folder });
    expect(ours.map((row) => row.day)).toEqual([...theirs.keys()]);
    for (const row of ours) {
      const them = theirs.get(row.day as string);
      expect({ day: row.day, input: row.input, output: row.output, cache_write: row.cache_write, cache_read: row.cache_read, total: row.total }).toEqual({
        day: row.day,
        input: them?.input_tokens,
        output: them?.output_tokens,
        cache_write: them?.cache_write_tokens,
        cache_read: them?.cache_read_tokens,
        total: them?.total_tokens,
      });
      expect(row.cost_usd).toBeCloseTo(them?.cost_usd ?? Number.NaN, 9);
    }
  });

  it('runs its spec: the same rows as seq query --spec @specs/daily.json, on either engine', () => {
    const daily = run('seq', ['daily', '--tz', 'UTC', examples]);
    expect(daily.status).toBe(0);
    expect(run('seq', ['query', '--spec', '@specs/daily.json', '--tz', 'UTC', examples]).stdout).toBe(daily.stdout);
    expect(run('seq', ['daily', '--tz', 'UTC', '--engine', 'duckdb', examples]).stdout).toBe(daily.stdout);
    expect(daily.stdout.split('\n')[0]).toBe('day         input  output  cache_write  cache_read   total  cost_usd  requests');
  });

  it('--breakdown: a row per source and model, which add up to the period', () => {
    for (const [word, key] of [
      ['daily', 'day'],
      ['weekly', 'week'],
      ['monthly', 'month'],
    ]) {
      const rows = view([word]);
      const parts = view([word, '--breakdown']);
      expect(parts.length).toBeGreaterThan(rows.length);
      expect(Object.keys(parts[0]).slice(0, 3)).toEqual([key, 'source', 'model']);
      const sums = sumBy(parts, key);
      expect([...sums.keys()]).toEqual(rows.map((row) => row[key]));
      for (const row of rows) {
        const sum = sums.get(String(row[key]));
        for (const field of TOKENS) expect(sum?.[field], `${word} ${row[key]} ${field}`).toBe(row[field]);
        expect(sum?.cost_usd).toBeCloseTo(row.cost_usd, 9);
      }
    }
  });

  it('weeks, months and sessions hold the same tokens as the days', () => {
    const total = (rows: Period[]) => rows.reduce((sum, row) => sum + row.total, 0);
    const days = view(['daily']);
    expect(total(days)).toBeGreaterThan(0);
    for (const word of ['weekly', 'monthly', 'session']) expect(total(view([word])), word).toBe(total(days));
    const sessions = view(['session']);
    expect(Object.keys(sessions[0]).slice(0, 4)).toEqual(['source', 'session_id', 'first', 'last']);
    const lasts = sessions.map((row) => row.last as string);
    expect(lasts).toEqual([...lasts].sort());
  });

  it('--id keeps one session, named by its id or the first characters of it; an id given as a path says so', () => {
    const sessions = view(['session']);
    const ids = sessions.map((row) => String(row.session_id));
    // The shortest start of each id that no other id has.
    const unique = (id: string): string => {
      for (let n = 1; ; n++) if (ids.filter((other) => other.startsWith(id.slice(0, n))).length === 1) return id.slice(0, n);
    };
    const [one] = sessions;
    const id = String(one?.session_id);
    expect(view(['session', '--id', id])).toEqual([one]);
    expect(view(['session', '--id', unique(id)])).toEqual([one]);
    const days = view(['daily', '--id', unique(id)]);
    expect(days.reduce((sum, row) => sum + row.total, 0)).toBe(one?.total);
    // A start that several ids share names them, as git does for a short hash.
    const shared = ids.filter((other) => other.startsWith(id.slice(0, 2)));
    expect(shared.length).toBeGreaterThan(1);
    const several = run('seq', ['session', '--id', id.slice(0, 2), examples]);
    expect(several.status).toBe(2);
    expect(several.stderr).toContain(`seq: --id ${id.slice(0, 2)} begins the ids of `);
    expect(several.stderr).toContain(shared.sort()[0]);
    const none = run('seq', ['session', '--id', 'a.b', '--json', examples]);
    expect(none).toEqual({ status: 0, stdout: '[]\n', stderr: "seq: no session's id begins with a.b in these logs (seq session lists them)\n" });
    expect(run('seq', ['session', id])).toEqual({
      status: 2,
      stdout: '',
      stderr: `seq: "${id}" is no file or folder; to see one session, seq session --id ${id}\n`,
    });
    // A mistyped folder is an input that cannot be read.
    expect(run('seq', ['daily', 'nosuchfolder'])).toMatchObject({ status: 1, stderr: 'seq: cannot read nosuchfolder: no such file or folder\n' });
  });

  it('--format chart draws the total tokens of each row, labelled by its keys', () => {
    const chart = run('seq', ['daily', '--format', 'chart', '--tz', 'UTC', examples]);
    const days = view(['daily']);
    expect(
      chart.stdout
        .trimEnd()
        .split('\n')
        .map((line) => line.split(/\s+/).filter((word) => !/^[█▉▊▋▌▍▎▏]+$/.test(word))),
    ).toEqual(days.map((row) => [String(row.day), String(row.total)]));
  });

  it("days are the local time zone's unless --tz says", () => {
    const utc = view(['daily']);
    const tokyo = view(['daily'], { TZ: 'Asia/Tokyo' });
    expect(view(['daily', '--tz', 'Asia/Tokyo'])).toEqual(tokyo);
    expect(tokyo).not.toEqual(utc);
    expect(tokyo.reduce((sum, row) => sum + row.total, 0)).toBe(utc.reduce((sum, row) => sum + row.total, 0));
  });

  it("the report page's days are the views' days: the local time zone's unless --tz says, and the page names it", () => {
    const page = (args: string[], tz: string): { days: Array<{ day: string; total_tokens: number }> } => {
      const r = run('seq', ['report', ...args, examples], { env: { TZ: tz } });
      expect(r.status).toBe(0);
      return JSON.parse(r.stdout) as { days: Array<{ day: string; total_tokens: number }> };
    };
    const days = (periods: Period[]): Array<[string, number]> => periods.map((p) => [String(p.day), p.total]);
    // The page's days are a row per day and source.
    const perDay = (rows: Array<{ day: string; total_tokens: number }>): Array<[string, number]> => {
      const sums = new Map<string, number>();
      for (const row of rows) sums.set(row.day, (sums.get(row.day) ?? 0) + row.total_tokens);
      return [...sums];
    };
    expect(perDay(page(['--json'], 'Asia/Tokyo').days)).toEqual(days(view(['daily'], { TZ: 'Asia/Tokyo' })));
    expect(perDay(page(['--json', '--tz', 'UTC'], 'Asia/Tokyo').days)).toEqual(days(view(['daily'])));
    const html = run('seq', ['report', '--html', examples], { env: { TZ: 'Asia/Tokyo' } }).stdout;
    expect(html).toMatch(/<p class="sub">seq report, [\d-]+ [\d:]+ UTC; days in Asia\/Tokyo<\/p>/);
  });

  it('the machine zone is also read where TZ is a path or a rule without daylight saving, as the C library reads it', () => {
    const tokyo = view(['daily', '--tz', 'Asia/Tokyo']);
    expect(view(['daily'], { TZ: 'JST-9' })).toEqual(tokyo);
    expect(view(['daily'], { TZ: ':Asia/Tokyo' })).toEqual(tokyo);
    if (existsSync('/usr/share/zoneinfo/Asia/Tokyo')) expect(view(['daily'], { TZ: ':/usr/share/zoneinfo/Asia/Tokyo' })).toEqual(tokyo);
    expect(view(['daily'], { TZ: '' })).toEqual(view(['daily', '--tz', 'UTC']));
  });

  it('a machine zone seq cannot name (TZ=Foo/Bar) is refused as such, and --tz runs the view all the same', () => {
    expect(view(['daily', '--tz', 'UTC'], { TZ: 'Foo/Bar' })).toEqual(view(['daily', '--tz', 'UTC']));
    const r = run('seq', ['daily', examples], { env: { TZ: 'Mars/Olympus_Mons' } });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('"local" is this machine\'s time zone, and TZ="Mars/Olympus_Mons" names none that seq knows');
    // A rule with daylight saving or half an hour has no IANA name: refused, not read as UTC.
    for (const rule of ['IST-5:30', 'CET-1CEST,M3.5.0,M10.5.0/3']) expect(run('seq', ['daily', examples], { env: { TZ: rule } }).status).toBe(2);
  });

  it("--engine clickhouse is refused with the query that runs a view over a team's rows", () => {
    const r = run('seq', ['weekly', '--engine', 'clickhouse', examples]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('run seq query --spec @specs/weekly.json --tz UTC --engine clickhouse --clickhouse URL');
  });

  it("a log's time without a zone is UTC's, whatever the machine's zone and whichever run filled the cache", () => {
    const home = claudeHome(['2026-03-01T23:30:00.000']);
    const cache = mkdtempSync(join(tmpdir(), 'seq-zoneless-'));
    const day = (tz: string, args: string[] = []) => {
      const r = run('seq', ['daily', '--tz', 'UTC', '--json', ...args, home], { env: { TZ: tz, XDG_CACHE_HOME: cache } });
      expect(r.status).toBe(0);
      return (JSON.parse(r.stdout) as Period[]).map((row) => row.day);
    };
    expect(day('UTC')).toEqual(['2026-03-01']);
    expect(day('America/Los_Angeles')).toEqual(['2026-03-01']);
    expect(day('America/Los_Angeles', ['--no-cache', '--until', '2026-03-01'])).toEqual(['2026-03-01']);
    // Every time of a row is in UTC, as its timestamp is.
    const offset = claudeHome(['2026-03-01T08:00:00.000-05:00']);
    for (const dataset of ['token_sessions', 'sessions']) {
      const r = run('seq', ['query', '--dataset', dataset, '--select', 'timestamp,start,end', offset], { env: { XDG_CACHE_HOME: cache } });
      expect(JSON.parse(r.stdout)).toEqual({ timestamp: '2026-03-01T13:00:00.000Z', start: '2026-03-01T13:00:00.000Z', end: '2026-03-01T13:00:00.000Z' });
    }
  });

  it('filters by --since, --until, --source and --project, and says when --json and --format disagree', () => {
    const days = view(['daily', '--since', '2026-11-03', '--until', '2026-11-04']);
    expect(days.map((row) => row.day)).toEqual(['2026-11-03', '2026-11-04']);
    const claude = view(['session', '--source', 'claude']);
    expect(claude.every((row) => row.source === 'claude')).toBe(true);
    const pipeline = view(['daily', '--project', 'data-pipeline']);
    expect(pipeline.length).toBeGreaterThan(0);
    expect(pipeline.reduce((sum, row) => sum + row.total, 0)).toBeLessThan(view(['daily']).reduce((sum, row) => sum + row.total, 0));
    const both = run('seq', ['daily', '--json', '--format', 'csv', examples]);
    expect(both.status).toBe(2);
    expect(both.stderr).toContain('--json and --format both say how to write');
  });
});
