/**
 * OpenCode as a source, through the real executables: its database (built from the fixture's
 * SQL text, never checked in) and its older JSON storage, which holds copies of some database
 * messages; per-day tokens against ccusage 20's; discovery by HOME and by each environment
 * variable; the sessions, messages and tool_calls datasets; bad input.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { AGENT_FIXTURES, seqDaily } from '../helpers/agents.js';
import { ccusageDaily, requireCcusage } from '../helpers/ccusage.js';
import { jsonLines, run } from '../helpers/cli.js';

const FIXTURE = join(AGENT_FIXTURES, 'opencode');

/** An OpenCode data folder in `folder`: opencode.db from the fixture's SQL, and a copy of its storage/. */
function dataFolder(folder = mkdtempSync(join(tmpdir(), 'seq-opencode-')), database = 'opencode.db'): string {
  mkdirSync(folder, { recursive: true });
  cpSync(join(FIXTURE, 'storage'), join(folder, 'storage'), { recursive: true });
  const db = new Database(join(folder, database));
  db.exec(readFileSync(join(FIXTURE, 'opencode.sql'), 'utf8'));
  db.close();
  return folder;
}

/** No OpenCode place from the machine running the tests, and an empty HOME unless given. */
function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { HOME: mkdtempSync(join(tmpdir(), 'seq-home-')), XDG_DATA_HOME: '', OPENCODE_DATA_DIR: '', OPENCODE_DB: '', ...extra };
}

function query(dataset: string, inputs: string[], extra: string[] = []): Array<Record<string, unknown>> {
  const r = run('seq', ['query', '--dataset', dataset, '--source', 'opencode', '--format', 'jsonl', ...extra, ...inputs], { env: cleanEnv() });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return jsonLines(r.stdout) as Array<Record<string, unknown>>;
}

/** seq's figures by the format's semantics (EXPECTED.md): output holds reasoning, each request once. */
const SEQ_DAYS = {
  '2026-03-02': {
    input_tokens: 1500,
    cache_read_tokens: 9200,
    cache_write_tokens: 8000,
    output_tokens: 770,
    reasoning_tokens: 0,
    total_tokens: 19470,
    requests: 2,
  },
  '2026-03-03': {
    input_tokens: 2950,
    cache_read_tokens: 14400,
    cache_write_tokens: 0,
    output_tokens: 1974,
    reasoning_tokens: 1264,
    total_tokens: 19324,
    requests: 3,
  },
  '2026-03-04': {
    input_tokens: 5700,
    cache_read_tokens: 4000,
    cache_write_tokens: 0,
    output_tokens: 1100,
    reasoning_tokens: 600,
    total_tokens: 10800,
    requests: 2,
  },
};

function tokensOf(days: Map<string, object>): Record<string, Record<string, number>> {
  const keys = ['input_tokens', 'cache_read_tokens', 'cache_write_tokens', 'output_tokens', 'reasoning_tokens', 'total_tokens', 'requests'];
  const out: Record<string, Record<string, number>> = {};
  for (const [day, figures] of days) out[day] = Object.fromEntries(keys.map((key) => [key, (figures as Record<string, number>)[key] as number]));
  return out;
}

describe('OpenCode', () => {
  const folder = dataFolder();

  it('reads the database and the JSON storage, each message once, reasoning in output', () => {
    expect(tokensOf(seqDaily('opencode', [folder], cleanEnv()))).toEqual(SEQ_DAYS);
  });

  describe.skipIf(!requireCcusage())('against ccusage 20', () => {
    const peer = ccusageDaily('opencode', { OPENCODE_DATA_DIR: folder });
    const seq = seqDaily('opencode', [folder], cleanEnv());

    it('2026-03-02 (no reasoning; JSON copies of the database messages): every token count the same', () => {
      const { cost_usd: _c, ...theirs } = peer.get('2026-03-02') ?? {};
      const ours = seq.get('2026-03-02');
      expect(theirs).toEqual({
        input_tokens: ours?.input_tokens,
        cache_read_tokens: ours?.cache_read_tokens,
        cache_write_tokens: ours?.cache_write_tokens,
        output_tokens: ours?.output_tokens,
        total_tokens: ours?.total_tokens,
      });
    });

    it('2026-03-03 differs on purpose: ccusage leaves reasoning (1264) out of output though its total holds it', () => {
      expect(peer.get('2026-03-03')).toMatchObject({
        input_tokens: 2950,
        cache_read_tokens: 14400,
        cache_write_tokens: 0,
        output_tokens: 710,
        total_tokens: 19324,
      });
      expect(seq.get('2026-03-03')).toMatchObject({ output_tokens: 1974, reasoning_tokens: 1264, total_tokens: 19324 });
    });

    it("2026-03-04 differs on purpose: ccusage counts an old record's reasoning twice in its total (output already holds it)", () => {
      expect(peer.get('2026-03-04')).toMatchObject({ input_tokens: 5700, cache_read_tokens: 4000, output_tokens: 1100, total_tokens: 11400 });
      expect(seq.get('2026-03-04')).toMatchObject({
        input_tokens: 5700,
        cache_read_tokens: 4000,
        output_tokens: 1100,
        reasoning_tokens: 600,
        total_tokens: 10800,
      });
    });
  });

  it("gives each request's logged cost and its message id as request_id", () => {
    const rows = query('usage', [folder], ['--select', 'session_id,request_id,logged_cost_usd,total_tokens']);
    expect(rows).toContainEqual({
      session_id: 'ses_3520276fffffKy9Pf34qY6Nb3w',
      request_id: 'msg_cadfd8ce80008IQ9Y7aJZqhB6b',
      logged_cost_usd: 0.03885,
      total_tokens: 9550,
    });
    expect(rows).toContainEqual({
      session_id: 'ses_34bfe8c3ffffUGCiczMSpxkMzN',
      request_id: 'msg_cb40175b4000CUuBRoeL5pykPT',
      logged_cost_usd: 0,
      total_tokens: 920,
    });
    expect(rows).toContainEqual({
      session_id: 'ses_347ecad7ffffXXZUon6uZ3FCH2',
      request_id: 'msg_cb8135668000uyxGxZvyCrS8Q7',
      logged_cost_usd: 0.02125,
      total_tokens: 5900,
    });
    expect(rows).toHaveLength(7);
  });

  it('finds the logs with no path: ~/.local/share/opencode', () => {
    const home = mkdtempSync(join(tmpdir(), 'seq-home-'));
    dataFolder(join(home, '.local/share/opencode'));
    expect(tokensOf(seqDaily('opencode', [], cleanEnv({ HOME: home })))).toEqual(SEQ_DAYS);
  });

  it('finds the logs with no path: $OPENCODE_DATA_DIR (a comma list), $XDG_DATA_HOME/opencode', () => {
    expect(tokensOf(seqDaily('opencode', [], cleanEnv({ OPENCODE_DATA_DIR: `/nowhere,${folder}` })))).toEqual(SEQ_DAYS);
    const xdg = mkdtempSync(join(tmpdir(), 'seq-xdg-'));
    dataFolder(join(xdg, 'opencode'));
    expect(tokensOf(seqDaily('opencode', [], cleanEnv({ XDG_DATA_HOME: xdg })))).toEqual(SEQ_DAYS);
  });

  it('finds the logs with no path: $OPENCODE_DB, and a channel database (opencode-<channel>.db)', () => {
    const only = mkdtempSync(join(tmpdir(), 'seq-opencode-db-'));
    const db = new Database(join(only, 'mine.db'));
    db.exec(readFileSync(join(FIXTURE, 'opencode.sql'), 'utf8'));
    db.close();
    const days = tokensOf(seqDaily('opencode', [], cleanEnv({ OPENCODE_DB: join(only, 'mine.db') })));
    expect(Object.keys(days).sort()).toEqual(['2026-03-02', '2026-03-03']);
    const channel = dataFolder(undefined, 'opencode-canary.db');
    expect(tokensOf(seqDaily('opencode', [], cleanEnv({ OPENCODE_DATA_DIR: channel })))).toEqual(SEQ_DAYS);
  });

  it('recognises a single file given by path: the database, a message file', () => {
    const db = tokensOf(seqDaily('opencode', [join(folder, 'opencode.db')], cleanEnv()));
    expect(db['2026-03-03']).toEqual(SEQ_DAYS['2026-03-03']);
    const message = join(folder, 'storage/message/ses_347ecad7ffffXXZUon6uZ3FCH2/msg_cb8135668000uyxGxZvyCrS8Q7.json');
    expect(tokensOf(seqDaily('opencode', [message], cleanEnv()))).toEqual({
      '2026-03-04': {
        input_tokens: 5000,
        cache_read_tokens: 0,
        cache_write_tokens: 0,
        output_tokens: 900,
        reasoning_tokens: 600,
        total_tokens: 5900,
        requests: 1,
      },
    });
  });

  it('gives the sessions, with their subagent link, version, cwd, turns and tool calls', () => {
    const rows = query(
      'sessions',
      [folder],
      ['--select', 'session_id,start,version,cwd,parent_session_id,turns,assistant_messages,tool_calls,requests,total_tokens'],
    );
    const byId = new Map(rows.map((row) => [row.session_id, row]));
    expect(rows).toHaveLength(4);
    expect(byId.get('ses_3520276fffffKy9Pf34qY6Nb3w')).toMatchObject({
      start: '2026-03-02T10:00:00.000Z',
      version: '1.2.15',
      cwd: '/home/dev/proj-alpha',
      parent_session_id: null,
      turns: 2,
      assistant_messages: 2,
      tool_calls: 1,
      requests: 2,
      total_tokens: 19470,
    });
    expect(byId.get('ses_34bfe8c3ffffUGCiczMSpxkMzN')).toMatchObject({ parent_session_id: 'ses_34c0060fffff3TvtnythpZPPPP', turns: 1, requests: 1 });
    expect(byId.get('ses_347ecad7ffffXXZUon6uZ3FCH2')).toMatchObject({
      version: '0.15.8',
      turns: 1,
      assistant_messages: 2,
      tool_calls: 1,
      total_tokens: 10800,
    });
  });

  it('gives the messages (text parts, each once) and the tool calls (the canonical tool name, its status)', () => {
    const messages = query('messages', [folder], ['--select', 'session_id,role,text']);
    expect(messages).toHaveLength(11);
    expect(messages).toContainEqual({ session_id: 'ses_3520276fffffKy9Pf34qY6Nb3w', role: 'user', text: 'Also add a regression test.' });
    expect(messages).toContainEqual({ session_id: 'ses_347ecad7ffffXXZUon6uZ3FCH2', role: 'user', text: 'Explain how the build pipeline works.' });
    expect(messages).toContainEqual({ session_id: 'ses_347ecad7ffffXXZUon6uZ3FCH2', role: 'assistant', text: 'The pipeline has two stages: lint and build.' });
    const calls = query('tool_calls', [folder], ['--select', 'tool,call_id,status,timestamp']);
    expect(calls).toEqual([
      { tool: 'bash', call_id: 'call_Jt8Xq2nWm4Lk7Hs1Pd9Rv3Cz', status: 'completed', timestamp: '2026-03-03T14:00:09.100Z' },
      { tool: 'edit', call_id: 'call_Qm5Vb8Nc2Xz6Lp3Wr7Ty1Ks4', status: 'error', timestamp: '2026-03-03T14:00:21.100Z' },
      { tool: 'read', call_id: 'toolu_01XbQ7mZk3R9sVfTq2LwYh8N', status: 'completed', timestamp: '2026-03-02T10:00:02.100Z' },
      { tool: 'glob', call_id: 'tool_0_glob', status: 'completed', timestamp: '2026-03-04T09:00:02.000Z' },
    ]);
  });

  it("a fork's copies of its source's messages count once, in the source, in the database and in the JSON storage", () => {
    const datasets = ['usage', 'messages', 'tool_calls'];
    const counted = (inputs: string[]) => datasets.map((dataset) => query(dataset, inputs, ['--by', 'session_id', '--sort', 'session_id']));
    const database = dataFolder();
    const storage = join(database, 'storage');
    const before = [counted([join(database, 'opencode.db')]), counted([storage])];
    // As OpenCode's Session.fork does: a new session made now, then each earlier message and
    // part copied whole (its times, tokens and cost) under new ids.
    const db = new Database(join(database, 'opencode.db'));
    const source = db.prepare('SELECT * FROM session ORDER BY id LIMIT 1').get() as Record<string, unknown>;
    const forkedAt = (db.prepare('SELECT max(time_created) AS t FROM message').get() as { t: number }).t + 3_600_000;
    db.prepare('CREATE TEMP TABLE forked AS SELECT * FROM session WHERE id = ?').run(source.id);
    db.exec(`UPDATE forked SET id = 'ses_fork', time_created = ${forkedAt}; INSERT INTO session SELECT * FROM forked`);
    for (const message of db.prepare('SELECT * FROM message WHERE session_id = ?').all(source.id) as Array<Record<string, unknown>>) {
      db.prepare('INSERT INTO message VALUES (?, ?, ?, ?, ?)').run(`${message.id}_fork`, 'ses_fork', message.time_created, message.time_updated, message.data);
      db.prepare(
        `INSERT INTO part SELECT id || '_fork', message_id || '_fork', 'ses_fork', time_created, time_updated, data FROM part WHERE message_id = ?`,
      ).run(message.id);
    }
    db.close();
    const sessionFile = readdirSync(join(storage, 'session'), { recursive: true, encoding: 'utf8' }).find((name) => name.endsWith('.json')) as string;
    const sourceSession = JSON.parse(readFileSync(join(storage, 'session', sessionFile), 'utf8')) as { id: string; time: { created: number } };
    const fork = {
      ...sourceSession,
      id: 'ses_fork',
      time: { created: sourceSession.time.created + 86_400_000, updated: sourceSession.time.created + 86_400_000 },
    };
    writeFileSync(join(storage, 'session', dirname(sessionFile), 'ses_fork.json'), JSON.stringify(fork));
    mkdirSync(join(storage, 'message', 'ses_fork'));
    for (const name of readdirSync(join(storage, 'message', sourceSession.id))) {
      const message = JSON.parse(readFileSync(join(storage, 'message', sourceSession.id, name), 'utf8')) as { id: string };
      const copy = `${message.id}fork`;
      writeFileSync(join(storage, 'message', 'ses_fork', `${copy}.json`), JSON.stringify({ ...message, id: copy, sessionID: 'ses_fork' }));
      const parts = join(storage, 'part', message.id);
      if (!existsSync(parts)) continue;
      mkdirSync(join(storage, 'part', copy));
      for (const partName of readdirSync(parts)) {
        const part = JSON.parse(readFileSync(join(parts, partName), 'utf8')) as { id: string };
        writeFileSync(
          join(storage, 'part', copy, `${part.id}fork.json`),
          JSON.stringify({ ...part, id: `${part.id}fork`, messageID: copy, sessionID: 'ses_fork' }),
        );
      }
    }
    expect(counted([join(database, 'opencode.db')])).toEqual(before[0]);
    expect(counted([storage])).toEqual(before[1]);
    expect(before[1].flat().length).toBeGreaterThan(2);
  });

  it('reports a cut-short file, a record of an unknown shape and a damaged database, and reads the rest', () => {
    const bad = dataFolder();
    const cut = join(bad, 'storage/message/ses_347ecad7ffffXXZUon6uZ3FCH2/msg_cb813cb98000j1OLXdIWz47woE.json');
    writeFileSync(cut, readFileSync(cut, 'utf8').slice(0, 100));
    writeFileSync(join(bad, 'storage/message/ses_347ecad7ffffXXZUon6uZ3FCH2/msg_zzzz.json'), JSON.stringify({ id: 'msg_zzzz', format: 9 }));
    writeFileSync(join(bad, 'opencode-canary.db'), 'not a database\n'.repeat(100));
    const r = run('seq', ['query', '--dataset', 'usage', '--source', 'opencode', '--by', 'day', '--metric', 'count::requests', '--format', 'jsonl', bad], {
      env: cleanEnv(),
    });
    expect(r.stderr).toContain(`cannot read ${join(bad, 'opencode-canary.db')}: SQLite cannot read this OpenCode database`);
    expect(r.stderr).toContain(`skipped 2 malformed lines (first: ${cut}:1)`);
    expect(jsonLines(r.stdout)).toEqual([
      { day: '2026-03-03', requests: 3 },
      { day: '2026-03-02', requests: 2 },
      { day: '2026-03-04', requests: 1 },
    ]);
    const strict = run(
      'seq',
      [
        'query',
        '--dataset',
        'usage',
        '--source',
        'opencode',
        '--strict',
        '--format',
        'jsonl',
        join(bad, 'storage/message/ses_347ecad7ffffXXZUon6uZ3FCH2/msg_zzzz.json'),
      ],
      {
        env: cleanEnv(),
      },
    );
    expect(strict.stderr).toMatch(/msg_zzzz\.json:1: malformed line \(a JSON document with keys id, format, not an OpenCode session, message or part/);
  });

  it('reads a database while OpenCode holds a write transaction open: the committed rows, at once', () => {
    const live = dataFolder();
    const writer = new Database(join(live, 'opencode.db'));
    writer.pragma('journal_mode = WAL');
    writer.exec('BEGIN IMMEDIATE');
    writer.exec("DELETE FROM message WHERE session_id = 'ses_34c0060fffff3TvtnythpZPPPP'");
    try {
      const days = tokensOf(seqDaily('opencode', [join(live, 'opencode.db')], cleanEnv()));
      expect(days['2026-03-03']).toEqual(SEQ_DAYS['2026-03-03']);
    } finally {
      writer.exec('ROLLBACK');
      writer.close();
    }
  });
});
