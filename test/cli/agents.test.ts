/**
 * Every agent at once, as a user with all of them installed has it: each agent's logs in its own
 * default place under one home, found with no path given, told apart, and priced.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { AGENT_FIXTURES } from '../helpers/agents.js';
import { jsonLines, run, sh } from '../helpers/cli.js';
import { generatedSessions } from '../helpers/sessions.js';

const AGENTS = ['codex', 'gemini', 'qwen', 'copilot', 'opencode', 'amp', 'claude'];

// The variables that would move an agent's logs elsewhere, blank: only the home counts.
const BLANK = Object.fromEntries(
  [
    'CODEX_HOME',
    'CLAUDE_CONFIG_DIR',
    'GEMINI_CLI_HOME',
    'GEMINI_DATA_DIR',
    'QWEN_RUNTIME_DIR',
    'QWEN_DATA_DIR',
    'COPILOT_HOME',
    'COPILOT_OTEL_FILE_EXPORTER_PATH',
    'OPENCODE_DB',
    'OPENCODE_DATA_DIR',
    'XDG_DATA_HOME',
    'AMP_DATA_DIR',
  ].map((name) => [name, '']),
);

let home: string;
/** The folder of each agent's logs under the home, as given by path. */
let places: Record<string, string>;

function seq(args: string[]) {
  const r = run('seq', args, { cwd: home, env: { ...BLANK, HOME: home } });
  expect(r.stderr.startsWith('seq: ') || r.stderr === '').toBe(true);
  return r;
}

/** Tokens and requests per source, from `seq query` on `paths` (none: the default places). */
function bySource(paths: string[], extra: string[] = []): Record<string, { t: number; n: number }> {
  const r = seq([
    'query',
    '--dataset',
    'usage',
    '--by',
    'source',
    '--metric',
    'sum:total_tokens:t',
    '--metric',
    'count::n',
    '--format',
    'jsonl',
    ...extra,
    ...paths,
  ]);
  expect(r.status).toBe(0);
  return Object.fromEntries((jsonLines(r.stdout) as Array<{ source: string; t: number; n: number }>).map(({ source, t, n }) => [source, { t, n }]));
}

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'seq-agents-home-'));
  const examples = generatedSessions();
  places = {
    codex: join(home, '.codex/sessions'),
    claude: join(home, '.claude/projects'),
    gemini: join(home, '.gemini/tmp'),
    qwen: join(home, '.qwen'),
    copilot: join(home, '.copilot'),
    opencode: join(home, '.local/share/opencode'),
    amp: join(home, '.local/share/amp/threads'),
  };
  cpSync(join(examples, 'codex/sessions'), places.codex, { recursive: true });
  cpSync(join(examples, 'claude/projects'), places.claude, { recursive: true });
  cpSync(join(AGENT_FIXTURES, 'gemini/tmp'), places.gemini, { recursive: true });
  cpSync(join(AGENT_FIXTURES, 'qwen/projects'), join(places.qwen, 'projects'), { recursive: true });
  cpSync(join(AGENT_FIXTURES, 'qwen/tmp'), join(places.qwen, 'tmp'), { recursive: true });
  cpSync(join(AGENT_FIXTURES, 'copilot/home/.copilot'), places.copilot, { recursive: true });
  cpSync(join(AGENT_FIXTURES, 'opencode/storage'), join(places.opencode, 'storage'), { recursive: true });
  cpSync(join(AGENT_FIXTURES, 'amp/threads'), places.amp, { recursive: true });
  mkdirSync(places.opencode, { recursive: true });
  const db = new Database(join(places.opencode, 'opencode.db'));
  db.exec(readFileSync(join(AGENT_FIXTURES, 'opencode/opencode.sql'), 'utf8'));
  db.close();
});

describe('every agent under one home', () => {
  it('seq sources lists each agent and where it found its logs', () => {
    const r = seq(['sources', '--format', 'jsonl']);
    expect(r.status).toBe(0);
    const rows = jsonLines(r.stdout) as Array<{ source: string; agent: string; found: string | null; places: string }>;
    expect(rows.map((row) => row.source)).toEqual(AGENTS);
    expect(Object.fromEntries(rows.map((row) => [row.source, row.found]))).toEqual({
      codex: '~/.codex/sessions',
      gemini: '~/.gemini/tmp',
      qwen: '~/.qwen/projects, ~/.qwen/tmp',
      copilot: '~/.copilot/session-state, ~/.copilot/otel',
      opencode:
        '~/.local/share/opencode/opencode.db, ~/.local/share/opencode/storage/session, ~/.local/share/opencode/storage/message, ~/.local/share/opencode/storage/part',
      amp: '~/.local/share/amp/threads',
      claude: '~/.claude/projects',
    });
    for (const row of rows) expect(row.places.length).toBeGreaterThan(0);
  });

  it('with no path, reads every agent from its default place: the same as naming each place', () => {
    const found = bySource([]);
    expect(Object.keys(found).sort()).toEqual([...AGENTS].sort());
    for (const agent of AGENTS) expect(found[agent].t, agent).toBeGreaterThan(0);
    expect(bySource(Object.values(places))).toEqual(found);
    for (const agent of AGENTS) {
      expect(bySource([], ['--source', agent]), agent).toEqual({ [agent]: found[agent] });
      expect(bySource([places[agent]], ['--source', agent]), agent).toEqual({ [agent]: found[agent] });
    }
  });

  it("prices every model in the agents' logs, but Qwen's free coder-model", () => {
    const r = seq(['query', '--dataset', 'usage', '--by', 'source,model', '--metric', 'count::n', '--format', 'jsonl']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('seq: cost_usd is null where no price is known: coder-model (2 requests, 1,125 tokens); docs/costs.md says how to add a price\n');
    const unpriced = seq(['query', '--dataset', 'usage', '--where', 'cost_usd=null', '--by', 'source,model', '--metric', 'count::n', '--format', 'jsonl']);
    expect(jsonLines(unpriced.stdout)).toEqual([{ source: 'qwen', model: 'coder-model', n: 2 }]);
  });
});

describe('make demo', () => {
  it('reads your own sessions, every agent, where seq finds them', () => {
    const r = sh('bash examples/demo.sh', { env: { ...BLANK, HOME: home } });
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(
      'Reading your sessions, where your agents keep them: amp,claude,codex,copilot,gemini,opencode,qwen (bin/seq sources says where it looked)',
    );
    expect(r.stdout).toMatch(/^By source\n(.*\n){2}(\S+ +\d+ .*\n){7}\n/m);
  });

  it('without any, says so and uses the generated examples', () => {
    const empty = mkdtempSync(join(tmpdir(), 'seq-agents-empty-'));
    const r = sh('bash examples/demo.sh', { env: { ...BLANK, HOME: empty } });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(
      'No agent sessions on this machine (bin/seq sources lists the places looked in): using the generated examples in examples/sessions/\n',
    );
    expect(r.stdout).toMatch(/^By source\n(.*\n){2}(\S+ +\d+ .*\n){2}\n/m);
    // The demo puts bin/ on its own PATH only: a shell after it has coreutils' seq.
    expect(r.stdout).toMatch(/\nMore: bin\/seq --help /);
  });
});

describe('--project', () => {
  /** Tokens per source of the sessions run in `project`. */
  const ofProject = (project: string, extra: string[] = []) => bySource([], ['--project', project, ...extra]);

  it("keeps the sessions run in a folder or under it, by path, or by the folder's name; every agent that records its folder", () => {
    const all = bySource([]);
    const home = ofProject('/home/dev');
    expect(Object.keys(home).sort()).toEqual([...AGENTS].sort());
    // Copilot CLI's export names no folder: its one session whose state names one counts its shutdown's totals, one row.
    expect(home.copilot).toEqual({ t: 45788, n: 1 });
    for (const agent of ['codex', 'claude', 'opencode', 'amp']) expect(home[agent], agent).toEqual(all[agent]);
    // A session whose log names no folder (Gemini's first, Qwen's legacy one) is of no project.
    expect(home.gemini.t).toBeLessThan(all.gemini.t);
    expect(ofProject('/home/dev/')).toEqual(home);
    expect(ofProject('webapp')).toEqual({ copilot: { t: 45788, n: 1 }, qwen: { t: 70845, n: 5 } });
    expect(ofProject('/home/dev/webapp')).toEqual({ qwen: { t: 70845, n: 5 } });
    expect(ofProject('/home/dev/projects/webapp')).toEqual({ copilot: { t: 45788, n: 1 } });
    expect(ofProject('/home/de')).toEqual({});
    expect(ofProject('data-pipeline', ['--source', 'claude'])).toEqual(ofProject('/home/dev/src/data-pipeline', ['--source', 'claude']));
  });

  it('applies to every session dataset, and is a spec key', () => {
    const sessions = seq(['query', '--dataset', 'sessions', '--project', 'my-app', '--select', 'source,cwd', '--format', 'jsonl']);
    expect(jsonLines(sessions.stdout)).toEqual([
      { source: 'gemini', cwd: '/home/dev/my-app' },
      { source: 'gemini', cwd: '/home/dev/my-app' },
    ]);
    const spec = seq(['query', '--spec', '{"dataset":"sessions","project":"my-app","select":["cwd"]}', '--format', 'jsonl']);
    expect(spec.stdout).toBe(sessions.stdout.replace(/"source":"gemini",/g, ''));
  });

  it('is refused where there are no sessions, or no folders', () => {
    const r = seq(['query', '--dataset', 'jsonl', '--project', 'x', join(AGENT_FIXTURES, 'amp/threads')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('seq: --project: the jsonl dataset is not read from sessions');
    const blank = seq(['query', '--dataset', 'usage', '--project', ' ']);
    expect(blank.status).toBe(2);
    expect(blank.stderr).toContain(`--project: expected a project: a working folder's path or its name, got " "`);
  });
});
