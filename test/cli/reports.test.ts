/**
 * The named reports, run as a user runs them: figures on the fixtures (tokens as in
 * EXPECTED.md) and on the generated examples, every format, options before and after the
 * command, empty input, the Markdown bundle, and usage errors.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonLines, run, sh } from '../helpers/cli.js';
import { claudeHome } from '../helpers/claude-times.js';
import { int, tables } from '../helpers/expected.js';
import { FIXTURES, generatedSessions, requireFixtures } from '../helpers/sessions.js';

const ready = requireFixtures();

function ok(args: string[]): string {
  const r = run('seq', args);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout;
}

function json(args: string[]): Record<string, unknown> {
  return JSON.parse(ok([...args, '--format', 'json'])) as Record<string, unknown>;
}

/** A Codex rollout with one user message per given time, each mentioning the given skills. */
function rollout(messages: Array<[timestamp: string, text: string, role?: string]>): string {
  const lines = [
    JSON.stringify({
      timestamp: messages[0]?.[0],
      type: 'session_meta',
      payload: { id: '019a0000-0000-7000-8000-000000000001', timestamp: messages[0]?.[0], cwd: '/w', originator: 'codex_cli_rs', cli_version: '0.58.0' },
    }),
  ];
  for (const [timestamp, text, role = 'user'] of messages) {
    lines.push(
      JSON.stringify({
        timestamp,
        type: 'response_item',
        payload: { type: 'message', role, content: [{ type: role === 'user' ? 'input_text' : 'output_text', text }] },
      }),
    );
  }
  return `${lines.join('\n')}\n`;
}

function sessionsDir(files: Record<string, string>): { root: string; skills: string } {
  const root = mkdtempSync(join(tmpdir(), 'seq-reports-'));
  const skills = join(root, 'skills');
  for (const skill of ['tk', 'fix']) mkdirSync(join(skills, skill), { recursive: true });
  mkdirSync(join(root, 'sessions'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, 'sessions', name), text);
  return { root: join(root, 'sessions'), skills };
}

describe.skipIf(!ready)('reports on the fixtures', () => {
  it('token-usage gives the token figures of EXPECTED.md, Codex', () => {
    const [, days] = tables('## Codex: `codex/sessions`');
    const usage = json(['token-usage', `${FIXTURES}/codex/sessions`, '--top', '100']);
    expect(usage.total_tokens).toBe(43_548_378);
    expect(usage.days).toBe(days?.length);
    expect(usage.average_per_day).toBe(43_548_378 / (days?.length ?? 0));
    expect(usage.rows).toBe((days ?? []).reduce((n, d) => n + int(d['delta rows']), 0));
    const top = usage.top_days as Array<{ day: string; tokens: number; rows: number }>;
    for (const expected of days ?? []) {
      const row = top.find((d) => d.day === expected.day);
      expect(row?.tokens, expected.day).toBe(int(expected.tokens));
      expect(row?.rows, expected.day).toBe(int(expected['delta rows']));
    }
    expect(usage.max_day).toEqual({ day: '2026-02-23', tokens: 18_420_276 });
    expect(usage.min_day).toEqual({ day: '2026-06-05', tokens: 22_549 });
    expect(usage.by_source).toEqual([{ source: 'codex', tokens: 43_548_378, rows: usage.rows, cost_usd: usage.total_cost_usd }]);
    // ccusage 20's cost of these logs, day by day (test/cli/costs.test.ts checks the days).
    expect(usage.total_cost_usd as number).toBeCloseTo(2.369555 + 0.441382 + 0.014389 + 5.420567 + 5.981588 + 0.019107, 5);
  });

  it('token-usage gives the token figures of EXPECTED.md, Claude, with models', () => {
    const [days, , models] = tables('## Claude: `claude/projects`');
    const usage = json(['token-usage', `${FIXTURES}/claude/projects`]);
    const all = days?.find((d) => d['day (UTC)'] === 'all');
    expect(usage.total_tokens).toBe(int(all?.total));
    expect(usage.rows).toBe(int(all?.requests));
    expect(usage.days).toBe((days?.length ?? 0) - 1);
    const byModel = usage.by_model as Array<{ model: string; tokens: number; rows: number }>;
    expect(byModel.map((m) => [m.model, m.tokens, m.rows])).toEqual((models ?? []).map((m) => [m.model, int(m.total), int(m.requests)]));
    const text = ok(['token-usage', `${FIXTURES}/claude/projects`, '--top', '2']);
    expect(text).toMatch(/total tokens: +4949474\n/);
    expect(text).toMatch(/Top days\nday +tokens +cost_usd +rows\n-+ +-+ +-+ +-+\n2025-11-18 +1476659 +1\.2 +28\n2025-06-14 +1251398 +0\.698 +34\n\n/);
    expect(ok(['token-usage', `${FIXTURES}/claude/projects`, '--top', '2', '--no-cost'])).toMatch(
      /Top days\nday +tokens +rows\n-+ +-+ +-+\n2025-11-18 +1476659 +28\n/,
    );
  });

  it('token-usage falls back, labelled, to "Original token count" when a log has no token counts', () => {
    const usage = json(['token-usage', `${FIXTURES}/codex/sessions/2026/05`]);
    expect(usage.rows).toBe(0);
    expect(usage.fallback).toMatchObject({ total_tokens: 369_470, tool_outputs: 35, by_day: [{ day: '2026-05-11', tokens: 369_470, outputs: 35 }] });
    expect(ok(['token-usage', `${FIXTURES}/codex/sessions/2026/05`])).toMatch(
      /^Token usage \(estimated\)\nno token counts in these logs; estimated from "Original token count: N"/,
    );
  });

  it('skills-rank reads Claude slash commands; skill-report and occurrence-export agree with it', () => {
    expect(ok(['skills-rank', FIXTURES])).toBe('skill             count\n----------------  -----\ngenerate-feature      1\n');
    const report = json(['skill-report', '--skill', 'generate-feature', FIXTURES]);
    expect(report).toMatchObject({ skill: 'generate-feature', total: 1, by_role: { user: 1 }, by_type: { command: 1 } });
    const rows = jsonLines(ok(['occurrence-export', FIXTURES])) as Array<Record<string, unknown>>;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ source: 'claude', skill: 'generate-feature', types: 'command', role: 'user', day: '2025-10-28' });
  });
});

describe('reports on the generated examples', () => {
  const examples = generatedSessions();
  const skills = ['--skills-dir', join(examples, 'skills')];

  it('skills-rank, role-breakdown and occurrence-export agree with the skill_mentions dataset', () => {
    const rank = JSON.parse(ok(['skills-rank', examples, ...skills, '--format', 'json'])) as Array<{ skill: string; count: number }>;
    const viaQuery = jsonLines(
      ok(['query', '--dataset', 'skill_mentions', '--by', 'skill', '--sort', '-count,skill', '--format', 'jsonl', examples, ...skills]),
    );
    expect(rank).toEqual(viaQuery);
    expect(rank.length).toBeGreaterThanOrEqual(4);
    const roles = JSON.parse(ok(['role-breakdown', examples, ...skills, '--format', 'json'])) as Array<{
      skill: string;
      user: number;
      assistant: number;
      total: number;
    }>;
    expect(roles.map((r) => [r.skill, r.total])).toEqual(rank.map((r) => [r.skill, r.count]));
    for (const r of roles) expect(r.user + r.assistant).toBe(r.total);
    const all = jsonLines(ok(['occurrence-export', examples, ...skills]));
    expect(all).toHaveLength(rank.reduce((n, r) => n + r.count, 0));
    expect(jsonLines(ok(['occurrence-export', '--skill', 'tk', '--max', '2', examples, ...skills]))).toHaveLength(2);
  });

  it('every format of a rank', () => {
    const base = ['skills-rank', examples, ...skills, '--max', '2'];
    expect(ok([...base, '--format', 'csv'])).toMatch(/^skill,count\r?\n\w+,\d+\r?\n\w+,\d+\r?\n$/);
    expect(ok([...base, '--format', 'markdown'])).toMatch(/^\| skill +\| count \|\n\| -+ \| -+: \|\n/);
    expect(ok([...base, '--format', 'chart', '--width', '40'])).toMatch(/^\w+ +█+ \d+\n\w+ +█*[▏▎▍▌▋▊▉]? +\d+\n$/);
    expect(jsonLines(ok([...base, '--format', 'jsonl']))).toHaveLength(2);
    expect(JSON.parse(ok([...base, '--format', 'json']))).toHaveLength(2);
  });

  it('options work before and after the command', () => {
    expect(ok(['--max', '1', '--format', 'csv', 'skills-rank', examples, ...skills])).toBe(
      ok(['skills-rank', examples, ...skills, '--max', '1', '--format', 'csv']),
    );
    expect(ok(['--skill', 'tk', '--bucket', 'month', 'skill-trend', examples, ...skills])).toBe(
      ok(['skill-trend', '--skill', 'tk', '--bucket', 'month', examples, ...skills]),
    );
  });

  it('section-audit: counts, rates, samples; --match heading counts only headings', () => {
    const label = json(['section-audit', '--sections', 'Contract,Invariants,Proof', '--contains', '$tk', examples]);
    const heading = json(['section-audit', '--sections', 'Contract,Invariants,Proof', '--contains', '$tk', '--match', 'heading', examples]);
    expect(label.assistant_messages).toBeGreaterThan(0);
    expect(heading.assistant_messages).toBe(label.assistant_messages);
    expect(Number(heading.with_every_section)).toBeLessThanOrEqual(Number(label.with_every_section));
    const sections = heading.by_section as Array<{ section: string; present: number; missing: number; compliance: number }>;
    for (const s of sections) expect(s.present + s.missing).toBe(heading.assistant_messages);
    expect(heading.compliance).toBe(Math.round((Number(heading.with_every_section) / Number(heading.assistant_messages)) * 1000) / 10);
  });

  it('report-bundle: every part, as JSON and as Markdown, and no combination of options fails', () => {
    const bundle = json(['report-bundle', examples, ...skills, '--top', '3', '--skills', 'tk,fix', '--sections', 'Contract,Proof']);
    expect(Object.keys(bundle)).toEqual(['skills_rank', 'role_breakdown', 'tools_rank', 'token_usage', 'section_audit']);
    expect((bundle.skills_rank as unknown[]).length).toBe(3);
    expect(Object.keys(bundle.section_audit as object)).toEqual(['tk', 'fix']);
    expect(typeof (bundle.token_usage as { total_tokens: unknown }).total_tokens).toBe('number');
    const markdown = ok(['report-bundle', examples, ...skills, '--format', 'markdown', '--sections', 'Contract']);
    expect(markdown).toMatch(/^# seq report\n\n## Skills\n\n```\n\w+ +█/);
    expect(markdown).toContain('## Skills by role\n\n| skill');
    expect(markdown).toContain('## Token usage\n\n- **token rows**: ');
    expect(markdown).toContain('## Section audit\n\n- **assistant messages**: ');
    for (const extra of [
      [],
      ['--top', '0'],
      ['--sections', 'A', '--case-insensitive'],
      ['--sections', 'A', '--sample-missing', '2'],
      ['--skills', 'nope', '--sections', 'A,B', '--match', 'heading'],
      ['--no-blocks', '--no-dollars', '--roles', 'user'],
    ]) {
      for (const format of ['json', 'markdown']) {
        const r = run('seq', ['report-bundle', examples, ...skills, '--format', format, ...extra]);
        expect(r.status, extra.join(' ')).toBe(0);
        expect(r.stderr).toBe('');
      }
    }
  });

  it('--top 0 shows none of each ranking, in report-bundle and in report', () => {
    const bundle = json(['report-bundle', examples, ...skills, '--top', '0']);
    expect([bundle.skills_rank, bundle.role_breakdown, bundle.tools_rank, (bundle.token_usage as { top_days: unknown }).top_days]).toEqual([[], [], [], []]);
    const report = json(['report', examples, ...skills, '--top', '0']);
    expect([report.models, report.tools, report.skills]).toEqual([[], [], []]);
    expect((json(['report', examples, ...skills, '--top', '2']).tools as unknown[]).length).toBe(2);
  });

  it('report-bundle reads the logs once, and each section says what its own report says', () => {
    const cache = mkdtempSync(join(tmpdir(), 'seq-bundle-cache-'));
    const withCache = (args: string[]): string => {
      const r = run('seq', args, { env: { XDG_CACHE_HOME: cache } });
      expect(r.stderr).toBe('');
      return r.stdout;
    };
    const bundle = JSON.parse(withCache(['report-bundle', examples, ...skills, '--sections', 'Contract,Proof'])) as Record<string, unknown>;
    // One scan: one cache, of what every section needs together.
    expect(readdirSync(join(cache, 'seq', readdirSync(join(cache, 'seq'))[0] as string))).toEqual(['messages+tool_calls+tokens']);
    expect(bundle.skills_rank).toEqual(JSON.parse(ok(['skills-rank', examples, ...skills, '--max', '20', '--format', 'json'])));
    expect(bundle.token_usage).toEqual(JSON.parse(ok(['token-usage', examples, '--top', '20', '--format', 'json'])));
    expect(bundle.section_audit).toEqual(
      JSON.parse(ok(['section-audit', examples, '--sections', 'Contract,Proof', '--sample-missing', '0', '--format', 'json'])),
    );
    expect(bundle.tools_rank).toEqual(
      jsonLines(ok(['query', '--dataset', 'tool_calls', examples, '--by', 'tool', '--sort', '-count,tool', '--limit', '20', '--format', 'jsonl'])),
    );
  });

  it('writes --output atomically', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'seq-out-')), 'rank.csv');
    expect(run('seq', ['skills-rank', examples, ...skills, '--format', 'csv', '--output', out]).stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toMatch(/^skill,count\r?\n/);
  });
});

describe('reports built by hand', () => {
  it('skill-trend shows empty buckets as 0 between the first and the last, in --tz, and --max keeps the latest', () => {
    const { root, skills } = sessionsDir({
      'a.jsonl': rollout([
        ['2026-01-05T10:00:00.000Z', 'use $tk'],
        ['2026-01-06T10:00:00.000Z', 'again $tk and $fix'],
        ['2026-01-26T23:30:00.000Z', 'late $tk'],
      ]),
    });
    const args = ['skill-trend', '--skill', 'tk', root, '--skills-dir', skills, '--format', 'csv', '--bucket', 'week'];
    expect(ok(args)).toBe('bucket,count\n2026-W02,2\n2026-W03,0\n2026-W04,0\n2026-W05,1\n');
    expect(ok([...args, '--tz', 'America/New_York'])).toBe('bucket,count\n2026-W02,2\n2026-W03,0\n2026-W04,0\n2026-W05,1\n');
    expect(ok([...args, '--tz', 'Asia/Tokyo'])).toBe('bucket,count\n2026-W02,2\n2026-W03,0\n2026-W04,0\n2026-W05,1\n');
    expect(ok([...args, '--bucket', 'day', '--max', '3'])).toBe('bucket,count\n2026-01-24,0\n2026-01-25,0\n2026-01-26,1\n');
    expect(ok([...args, '--bucket', 'day', '--tz', 'Asia/Tokyo', '--max', '2'])).toBe('bucket,count\n2026-01-26,0\n2026-01-27,1\n');
    expect(ok([...args, '--bucket', 'month'])).toBe('bucket,count\n2026-01,3\n');
    expect(ok(['skill-trend', '--skill', 'tk', root, '--skills-dir', skills, '--bucket', 'week', '--format', 'chart', '--width', '30'])).toMatch(
      /^2026-W02 +█+ 2\n2026-W03 +0\n2026-W04 +0\n2026-W05 +█+ +1\n$/,
    );
    // The default bucket is the day; the skill asked for counts as known without a skills folder.
    expect(ok(['skill-trend', '--skill', 'tk', root, '--format', 'csv', '--max', '1'])).toBe('bucket,count\n2026-01-26,1\n');
  });

  it('section-audit: a label anywhere (the default) against --match heading, and samples of misses', () => {
    const { root } = sessionsDir({
      'a.jsonl': rollout([
        ['2026-01-05T10:00:00.000Z', 'please', 'user'],
        ['2026-01-05T10:01:00.000Z', 'Using $tk.\n## Contract\nok\n**Proof:** done', 'assistant'],
        ['2026-01-05T10:02:00.000Z', 'Using $tk.\nContract: ok\nthe Proof is pending', 'assistant'],
        ['2026-01-05T10:03:00.000Z', 'nothing to see', 'assistant'],
      ]),
    });
    const base = ['section-audit', '--sections', 'Contract,Proof', '--contains', '$tk', root];
    expect(json(base)).toMatchObject({
      assistant_messages: 2,
      with_every_section: 2,
      compliance: 100,
      by_section: [
        { section: 'Contract', present: 2, missing: 0 },
        { section: 'Proof', present: 2, missing: 0 },
      ],
    });
    const heading = json([...base, '--match', 'heading']);
    expect(heading).toMatchObject({
      assistant_messages: 2,
      with_every_section: 1,
      compliance: 50,
      by_section: [
        { section: 'Contract', present: 2, compliance: 100 },
        { section: 'Proof', present: 1, missing: 1, compliance: 50 },
      ],
    });
    expect(heading.samples).toEqual([
      { path: join(root, 'a.jsonl'), timestamp: '2026-01-05T10:02:00.000Z', missing: ['Proof'], snippet: 'Using $tk. Contract: ok the Proof is pending' },
    ]);
    // --case-insensitive: the labels and --contains in any case.
    expect(json(['section-audit', '--sections', 'contract', '--contains', 'USING', '--case-insensitive', root])).toMatchObject({
      assistant_messages: 2,
      with_every_section: 2,
    });
    expect(json(['section-audit', '--sections', 'contract', '--contains', 'Using', root])).toMatchObject({ assistant_messages: 2, with_every_section: 0 });
    expect(json(['section-audit', '--sections', 'proof', '--match', 'heading', '--case-insensitive', root])).toMatchObject({
      assistant_messages: 3,
      with_every_section: 1,
    });
    // --roles does not change whose answers are audited: always the assistant's.
    expect(json(['section-audit', '--sections', 'Contract', '--roles', 'user', root])).toMatchObject({ assistant_messages: 3 });
    const text = ok([...base, '--match', 'heading']);
    expect(text).toContain(
      'section   present  missing  compliance\n--------  -------  -------  ----------\nContract        2        0  100%\nProof           1        1  50%\n',
    );
  });

  it('seq report: a request whose time does not read is in no day nor block, and said to be left out', () => {
    const logs = claudeHome(['2026-11-04T10:00:00.000Z', 'nope']);
    const r = run('seq', ['report', '--json', logs]);
    expect(r.stderr).toBe('seq: 1 request left out: a time that does not read (first: "nope")\n');
    const report = JSON.parse(r.stdout) as { days: Array<{ day: string }>; totals: { requests: number }; blocks: unknown[] };
    expect([report.days.map((row) => row.day), report.totals.requests, report.blocks.length]).toEqual([['2026-11-04'], 1, 1]);
  });

  it('an empty root gives (no results) from every report', () => {
    const { root, skills } = sessionsDir({});
    expect(ok(['skills-rank', root, '--skills-dir', skills])).toBe('(no results)\n');
    expect(ok(['role-breakdown', root, '--skills-dir', skills])).toBe('(no results)\n');
    expect(ok(['skill-trend', '--skill', 'tk', root, '--skills-dir', skills])).toBe('(no results)\n');
    expect(ok(['token-usage', root])).toBe('Token usage\n(no results)\n');
    expect(ok(['occurrence-export', root, '--format', 'table'])).toBe('(no results)\n');
    expect(ok(['occurrence-export', root, '--format', 'csv'])).toBe('source,session_id,path,timestamp,day,week,month,role,skill,types,snippet\n');
    expect(ok(['skill-report', '--skill', 'tk', root])).toBe('Skill tk\n  mentions:  0\n\n(no results)\n');
    expect(json(['section-audit', '--sections', 'A', root])).toMatchObject({ assistant_messages: 0, compliance: null });
    expect(JSON.parse(ok(['report-bundle', root]))).toMatchObject({ skills_rank: [], tools_rank: [], token_usage: { rows: 0, total_tokens: 0 } });
  });

  it('usage errors exit 2 with one line', () => {
    const { root } = sessionsDir({});
    for (const [args, message] of [
      [['skill-trend', root], 'seq: --skill is required; e.g. seq skill-trend --skill tk --bucket week\n'],
      [['skill-trend', '--skill', 'tk', '--bucket', 'year', root], 'seq: --bucket: "year" is not one of day, week, month (see seq skill-trend --help)\n'],
      [['section-audit', root], 'seq: --sections is required; e.g. seq section-audit --sections "Contract,Invariants,Proof"\n'],
      [['section-audit', '--sections', 'A', '--match', 'title', root], 'seq: --match: "title" is not one of label, heading (see seq section-audit --help)\n'],
      [['token-usage', '--format', 'csv', root], 'seq: --format: "csv" is not one of table, markdown, json (see seq token-usage --help)\n'],
      [['skills-rank', '--max', 'ten', root], 'seq: --max: expected a whole number, got "ten" (see seq skills-rank --help)\n'],
      [['prices', root], `seq: the logs are read only with --check; seq prices --check ${root}\n`],
      [['stats', '--format', 'xml'], 'seq: --format: "xml" is not one of table, markdown, json (see seq stats --help)\n'],
      [['stats', '--json', '--format', 'table'], 'seq: --json and --format both say how to write; give one of them\n'],
      [['daily', '--color', 'sometimes', root], 'seq: --color: expected auto, always or never, got "sometimes" (see seq daily --help)\n'],
      [['weekly', '--width', '5', root], 'seq: --width: expected a number of columns (20 or more), got "5" (see seq weekly --help)\n'],
      [
        ['occurrence-export', '--format', 'xml', root],
        'seq: --format: "xml" is not one of jsonl, json, csv, table, markdown (see seq occurrence-export --help)\n',
      ],
    ] as const) {
      expect(run('seq', [...args]), args.join(' ')).toEqual({ status: 2, stdout: '', stderr: message });
    }
  });

  it('counts 0 mean none; repeated --sections add up; list items are headings; warnings come once', () => {
    const { root, skills } = sessionsDir({
      'a.jsonl': rollout([
        ['2026-01-05T10:00:00.000Z', 'use $tk'],
        ['2026-01-05T10:01:00.000Z', 'Using $tk.\n- **Contract:** ok\n1. Proof: done', 'assistant'],
      ]),
    });
    expect(json(['skill-report', '--skill', 'tk', root, '--skills-dir', skills, '--snippets', '0']).snippets).toEqual([]);
    expect(ok(['token-usage', root, '--top', '0'])).not.toContain('Top days');
    expect(json(['section-audit', '--sections', 'Contract', '--sections', 'Proof', '--match', 'heading', root])).toMatchObject({
      sections: ['Contract', 'Proof'],
      with_every_section: 1,
    });
    writeFileSync(join(root, 'b.jsonl'), '{"timestamp":"2026-01-05T10:00:00.000Z","type":"session_meta","payload":{"id":"x"}}\nnot json\n');
    const r = run('seq', ['report-bundle', root, '--skills-dir', skills, '--sections', 'A']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(`seq: skipped 1 malformed line (first: ${join(root, 'b.jsonl')}:2)\n`);
  });

  it('the fallback sums every "Original token count" of an output', () => {
    const meta = {
      timestamp: '2026-05-01T10:00:00.000Z',
      type: 'session_meta',
      payload: {
        id: '019a0000-0000-7000-8000-000000000002',
        timestamp: '2026-05-01T10:00:00.000Z',
        cwd: '/w',
        originator: 'codex_cli_rs',
        cli_version: '0.104.0',
      },
    };
    const output = (callId: string, text: string): string =>
      JSON.stringify({
        timestamp: '2026-05-01T10:01:00.000Z',
        type: 'response_item',
        payload: { type: 'function_call_output', call_id: callId, output: text },
      });
    const { root } = sessionsDir({
      'r.jsonl': `${[JSON.stringify(meta), output('c1', 'Chunk ID: 1\nOriginal token count: 50\nOutput:\nx'), output('c2', 'Original token count: 100\nOutput:\na\nOriginal token count: 7\n')].join('\n')}\n`,
    });
    expect(json(['token-usage', root]).fallback).toMatchObject({ total_tokens: 157, tool_outputs: 2 });
  });

  it('options are checked before anything is opened or read (exit 2)', () => {
    const { root } = sessionsDir({});
    const usage = (args: string[]): void => {
      const r = run('seq', args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
    };
    usage(['skills-rank', root, '--format', 'xml', '--output', '/nonexistent/x.txt']);
    usage(['section-audit', root, '--sections', ',']);
    usage(['occurrence-export', root, '--format', 'chart']);
    usage(['report-bundle', root, '--skills', 'tk']);
    usage(['report-bundle', root, '--sections', 'A', '--contains', 'x']);
    expect(run('seq', ['--help']).stdout).toMatch(/\n {2}occurrence-export +Every skill mention/);
  });

  it('a report in a pipe: | head ends quietly', () => {
    const { root, skills } = sessionsDir({ 'a.jsonl': rollout([['2026-01-05T10:00:00.000Z', 'use $tk and $fix']]) });
    expect(sh(`seq occurrence-export ${root} --skills-dir ${skills} | head -1 | jq -r .skill`)).toEqual({ status: 0, stdout: 'tk\n', stderr: '' });
  });
});
