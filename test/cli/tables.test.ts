/**
 * Kept tables (lib/scan/table-scan.ts), through the real executables: a scan whose logs have not
 * changed gives the kept rows without reading a file, and prints exactly what `--no-cache`
 * prints, whatever changed in between (a line appended, a file added, removed or rewritten, a
 * folder added, the prices, the roots' spelling, a damaged table).
 */
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { lines, ROOT, run, sh, stdoutOf, type Result } from '../helpers/cli.js';
import { generatedSessions } from '../helpers/sessions.js';
import { cached, changeableLogs, same, SESSION_DATASETS, truth } from '../helpers/cached.js';
import { CACHE_FORMAT } from '../../lib/cache/layout.js';
import { TABLE_FORMAT } from '../../lib/cache/table-file.js';

function tables(home: string): string {
  return join(home, 'seq', `tables-${TABLE_FORMAT}`);
}

function events(home: string): string {
  return join(home, 'seq', `events-${CACHE_FORMAT}`);
}

function tableFiles(home: string): string[] {
  return existsSync(tables(home)) ? readdirSync(tables(home)).filter((name) => name.endsWith('.tbl')) : [];
}

/**
 * A scan that gave a kept table's rows: the cache of events is removed first, and a scan that
 * read any file would make it again.
 */
function fromTable(command: string, home: string, args: string[], extra: Record<string, string> = {}): Result {
  rmSync(events(home), { recursive: true, force: true });
  const r = cached(command, home, args, extra);
  expect(existsSync(events(home))).toBe(false);
  return r;
}

/** The first Claude transcript (not a subagent's) under a folder. */
function claudeFile(root: string): string {
  const walk = (folder: string): string | undefined => {
    for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        const found = walk(path);
        if (found) return found;
      } else if (entry.name.endsWith('.jsonl') && !entry.name.startsWith('agent-')) return path;
    }
    return undefined;
  };
  return walk(join(root, 'claude')) as string;
}

/** Sets a folder's times back, so that its listing is trusted by the next scan without being read. */
function settle(folder: string): void {
  const past = new Date(Date.now() - 3600_000);
  utimesSync(folder, past, past);
}

describe('a kept table gives the rows of a scan of unchanged logs', () => {
  it.each(SESSION_DATASETS)('%s: the same bytes as --no-cache, kept and given again', (dataset) => {
    const logs = generatedSessions();
    const home = mkdtempSync(join(tmpdir(), 'seq-tables-home-'));
    const args = ['--dataset', dataset, logs];
    const expected = truth('seq-scan', args);
    same(cached('seq-scan', home, args), expected);
    expect(tableFiles(home)).toHaveLength(1);
    same(fromTable('seq-scan', home, args), expected);
  });

  it('every spec in specs/: seq query from a kept table prints what it prints from the logs', () => {
    const logs = generatedSessions();
    const home = mkdtempSync(join(tmpdir(), 'seq-tables-home-'));
    for (const name of readdirSync(join(ROOT, 'specs')).filter((file) => file.endsWith('.json'))) {
      const args = ['--spec', `@${join(ROOT, 'specs', name)}`, '--format', 'jsonl', logs];
      const expected = truth('seq', ['query', ...args]);
      expect(expected.status, name).toBe(0);
      cached('seq', home, ['query', ...args]);
      same(fromTable('seq', home, ['query', ...args]), expected);
    }
  });

  it('the named reports and views from kept tables print what they print from the logs', () => {
    const logs = generatedSessions();
    const home = mkdtempSync(join(tmpdir(), 'seq-tables-home-'));
    const now = { SEQ_NOW: '2026-11-20T12:00:00Z' };
    const commands = [
      ['daily', '--breakdown'],
      ['session'],
      ['blocks'],
      ['token-usage'],
      ['skills-rank'],
      ['skill-trend', '--skill', 'tk'],
      ['role-breakdown'],
      ['section-audit', '--sections', 'Contract,Proof'],
    ];
    for (const command of commands) {
      const args = [...command, logs];
      const expected = truth('seq', args, now);
      expect(expected.status, command.join(' ')).toBe(0);
      same(cached('seq', home, args, now), expected);
      same(fromTable('seq', home, args, now), expected);
    }
  });

  it('a window, a filter, a select and --limit read from a kept table', () => {
    const logs = generatedSessions();
    const home = mkdtempSync(join(tmpdir(), 'seq-tables-home-'));
    const queries = [
      ['--dataset', 'usage', '--since', '2026-01-01', '--until', '2026-06-01', '--by', 'model', '--metric', 'sum:output_tokens'],
      ['--dataset', 'tool_calls', '--where', 'tool=Bash', '--select', 'session_id,tool', '--sort', 'session_id', '--limit', '3'],
      ['--dataset', 'sessions', '--limit', '2'],
      ['--dataset', 'usage', '--by', 'day', '--metric', 'count', '--sort', '-count', '--limit', '1'],
    ];
    for (const query of queries) {
      const args = ['query', ...query, '--format', 'jsonl', logs];
      const expected = truth('seq', args);
      same(cached('seq', home, args), expected);
      same(fromTable('seq', home, args), expected);
    }
  });
});

describe("a kept table's rows, more than a pipe holds", () => {
  // Given to the stages without a stream (lib/cli/pipeline.ts): the reader going away, and a file written whole.
  let args: string[] = [];
  beforeAll(() => {
    const logs = mkdtempSync(join(tmpdir(), 'seq-tables-many-'));
    execFileSync(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'examples/generate.ts'), '--out', logs, '--sessions', '200'], { stdio: 'ignore' });
    args = ['query', '--dataset', 'usage', '--format', 'jsonl', logs];
  });

  it('stop quietly when the reader goes away (| head -1)', () => {
    const home = mkdtempSync(join(tmpdir(), 'seq-tables-home-'));
    const expected = truth('seq', args);
    expect(expected.stdout.length).toBeGreaterThan(1 << 20);
    same(cached('seq', home, args), expected);
    const r = sh(`seq ${args.map((arg) => `'${arg}'`).join(' ')} | head -1; echo "status \${PIPESTATUS[0]}" >&2`, { env: { XDG_CACHE_HOME: home } });
    expect(r.stderr).toBe('status 0\n');
    expect(r.stdout).toBe(`${lines(expected.stdout)[0]}\n`);
  });

  it('go whole to --output, and by the limit only so far', () => {
    const home = mkdtempSync(join(tmpdir(), 'seq-tables-home-'));
    const expected = truth('seq', args);
    cached('seq', home, args);
    const out = join(home, 'usage.jsonl');
    expect(cached('seq', home, [...args, '--output', out])).toMatchObject({ status: 0, stdout: '', stderr: '' });
    expect(readFileSync(out, 'utf8')).toBe(expected.stdout);
    same(cached('seq', home, [...args, '--limit', '5']), truth('seq', [...args, '--limit', '5']));
  });
});

describe('datasets read together (a report) keep each its own table', () => {
  /** Logs with a model that has no price (a notice of the usage dataset's own) and two bad lines (the scan's). */
  function troubled(): { logs: string; home: string } {
    const { logs, home } = changeableLogs();
    const file = claudeFile(logs);
    const lines = readFileSync(file, 'utf8').split('\n');
    const assistant = lines.find((line) => line.includes('"type":"assistant"') && line.includes('"usage"')) as string;
    const unpriced = assistant
      .replace(/"model":"[^"]*"/, '"model":"claude-nonesuch-9"')
      .replace(/"id":"msg_/, '"id":"msg_x')
      .replace(/"requestId":"req_/, '"requestId":"req_x');
    // A user line broken after its type: only a reading that needs messages decodes it far enough to
    // find it bad (a file's first line is decoded whole by every reading: it tells the file's agent).
    const broken = '{"type":"user","sessionId":"s-broken","message":{"role":"user","content":"broken" oops}}';
    const kept = lines.filter(Boolean);
    writeFileSync(file, [...kept.slice(0, 2), broken, ...kept.slice(2), unpriced, 'not json at all', ''].join('\n'));
    return { logs, home };
  }

  it('seq report from the tables prints what it prints from the logs', () => {
    const { logs, home } = troubled();
    const report = ['report', '--json', logs];
    const expected = truth('seq', report);
    expect(expected.stderr).toMatch(/claude-nonesuch-9/);
    expect(expected.stderr).toMatch(/malformed lines/);
    same(cached('seq', home, report), expected);
    same(fromTable('seq', home, report), expected);
  });

  it('a dataset read alone after its report, and a report after its datasets alone, say of bad lines what their own reading finds', () => {
    const { logs, home } = troubled();
    const report = ['report', '--json', logs];
    const alone = ['usage', 'tool_calls', 'skill_mentions'].map((dataset) => ['--dataset', dataset, logs]);
    // What a reading finds bad depends on what it decodes: the report's reading and usage's alone differ.
    expect(truth('seq-scan', alone[0] as string[]).stderr).not.toBe(truth('seq', report).stderr);
    cached('seq', home, report);
    for (const args of alone) same(cached('seq-scan', home, args), truth('seq-scan', args));
    const other = mkdtempSync(join(tmpdir(), 'seq-tables-home-'));
    for (const args of alone) cached('seq-scan', other, args);
    same(cached('seq', other, report), truth('seq', report));
  });
});

describe('what changed since the table was kept is read', () => {
  const args = (logs: string): string[] => ['--dataset', 'usage', logs];

  const changes: Record<string, (logs: string) => void> = {
    'a line appended to a transcript': (logs) => {
      const file = claudeFile(logs);
      const last = readFileSync(file, 'utf8').trim().split('\n').pop() as string;
      appendFileSync(file, `${last.replace(/"requestId":"[^"]*"/, '"requestId":"req_appended"').replace(/"id":"msg_[^"]*"/, '"id":"msg_appended"')}\n`);
    },
    'a file added to a folder listed long ago': (logs) => {
      const file = claudeFile(logs);
      const folder = join(file, '..');
      settle(folder); // the listing of this folder would be trusted, were its time not moved by the new file
      writeFileSync(join(folder, 'e0e0e0e0-0000-4000-8000-000000000001.jsonl'), readFileSync(file));
    },
    'a file removed': (logs) => rmSync(claudeFile(logs)),
    'a file rewritten with its size and time kept': (logs) => {
      const file = claudeFile(logs);
      const before = statSync(file);
      const text = readFileSync(file, 'utf8');
      writeFileSync(
        file,
        text.replace(/"output_tokens":(\d)/, (_, d: string) => `"output_tokens":${(Number(d) + 1) % 10}`),
      );
      utimesSync(file, before.atime, before.mtime);
    },
    'a folder of sessions added': (logs) => {
      const folder = join(logs, 'claude', 'projects', '-home-new-project');
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, 'e0e0e0e0-0000-4000-8000-000000000002.jsonl'), readFileSync(claudeFile(logs)));
    },
    'a malformed line appended': (logs) => appendFileSync(claudeFile(logs), '{"type":"assistant", not json\n'),
  };

  it.each(Object.keys(changes))('%s', (name) => {
    const { logs, home } = changeableLogs();
    // Every folder listed long ago: a scan trusts each listing whose folder's time has not moved.
    const settleAll = (folder: string): void => {
      for (const entry of readdirSync(folder, { withFileTypes: true })) if (entry.isDirectory()) settleAll(join(folder, entry.name));
      settle(folder);
    };
    settleAll(logs);
    same(cached('seq-scan', home, args(logs)), truth('seq-scan', args(logs)));
    changes[name]?.(logs);
    const expected = truth('seq-scan', args(logs));
    same(cached('seq-scan', home, args(logs)), expected);
    // ...and the table kept by that scan is the new one.
    same(fromTable('seq-scan', home, args(logs)), expected);
  });

  it('what a scan told of bad input is told again with the kept rows', () => {
    const { logs, home } = changeableLogs();
    appendFileSync(claudeFile(logs), 'not json at all\n');
    writeFileSync(join(logs, 'claude', 'notes.jsonl'), '{"hello":"world"}\n');
    const expected = truth('seq-scan', args(logs));
    expect(expected.stderr).toMatch(/malformed line/);
    same(cached('seq-scan', home, args(logs)), expected);
    same(fromTable('seq-scan', home, args(logs)), expected);
  });

  it('texts a log escapes that UTF-8 cannot hold (half a character) come back as they were', () => {
    const { logs, home } = changeableLogs();
    const file = claudeFile(logs);
    const user = readFileSync(file, 'utf8')
      .split('\n')
      .find((line) => line.includes('"type":"user"')) as string;
    appendFileSync(file, `${user.replace(/"content":"[^"]*"/, '"content":"half \\ud800 a character"').replace(/"uuid":"[^"]*"/, '"uuid":"u-half"')}\n`);
    const messages = ['--dataset', 'messages', logs];
    const expected = truth('seq-scan', messages);
    expect(expected.stdout).toContain('half \\ud800 a character');
    same(cached('seq-scan', home, messages), expected);
    same(fromTable('seq-scan', home, messages), expected);
  });

  it('an unreadable file: no table is kept, and the next scan reads again', () => {
    const { logs, home } = changeableLogs();
    symlinkSync('/nonexistent/seq-test', join(logs, 'claude', 'gone.jsonl'));
    const expected = truth('seq-scan', args(logs));
    expect(expected.status).toBe(1);
    same(cached('seq-scan', home, args(logs)), expected);
    expect(tableFiles(home)).toEqual([]);
    same(cached('seq-scan', home, args(logs)), expected);
  });

  it('--strict neither uses nor keeps a table', () => {
    const { logs, home } = changeableLogs();
    appendFileSync(claudeFile(logs), 'not json at all\n');
    const strict = [...args(logs), '--strict'];
    same(cached('seq-scan', home, strict), truth('seq-scan', strict));
    expect(tableFiles(home)).toEqual([]);
    cached('seq-scan', home, args(logs));
    expect(tableFiles(home)).toHaveLength(1);
    same(cached('seq-scan', home, strict), truth('seq-scan', strict));
  });

  it('prices changed in the config file: costs are priced again', () => {
    const { logs, home } = changeableLogs();
    const config = mkdtempSync(join(tmpdir(), 'seq-tables-config-'));
    mkdirSync(join(config, 'seq'));
    const query = ['query', '--dataset', 'usage', '--by', 'model', '--metric', 'sum:cost_usd:cost', '--format', 'jsonl', logs];
    const extra = { XDG_CONFIG_HOME: config };
    same(cached('seq', home, query, extra), truth('seq', query, extra));
    writeFileSync(join(config, 'seq', 'prices.json'), JSON.stringify({ 'claude-sonnet-4-5': { output_cost_per_token: 0.001 } }));
    const expected = truth('seq', query, extra);
    same(cached('seq', home, query, extra), expected);
    same(fromTable('seq', home, query, extra), expected);
  });

  it('skills: a skill folder removed counts its mentions no more', () => {
    const { logs, home } = changeableLogs();
    const query = [
      'query',
      '--dataset',
      'skill_mentions',
      '--skills-dir',
      join(logs, 'skills'),
      '--by',
      'skill',
      '--format',
      'jsonl',
      join(logs, 'codex'),
      join(logs, 'claude'),
    ];
    const before = truth('seq', query);
    same(cached('seq', home, query), before);
    rmSync(join(logs, 'skills', 'tk'), { recursive: true });
    const expected = truth('seq', query);
    expect(expected.stdout).not.toBe(before.stdout);
    same(cached('seq', home, query), expected);
    same(fromTable('seq', home, query), expected);
  });

  it('--project ~/...: another home is another project', () => {
    const { logs, home } = changeableLogs();
    const query = ['query', '--dataset', 'sessions', '--project', '~/src/billing-api', '--by', 'source', '--format', 'jsonl', logs];
    const dev = { HOME: '/home/dev' };
    const other = { HOME: '/home/other' };
    expect(truth('seq', query, dev).stdout).not.toBe(truth('seq', query, other).stdout);
    same(cached('seq', home, query, dev), truth('seq', query, dev));
    same(cached('seq', home, query, other), truth('seq', query, other));
    same(cached('seq', home, query, dev), truth('seq', query, dev));
  });

  it('the same folder named another way (rows name files as the roots do) is another table', () => {
    const { logs, home } = changeableLogs();
    const relative = ['--dataset', 'tool_calls', 'claude'];
    same(cached('seq-scan', home, relative, {}, logs), truth('seq-scan', relative, {}, logs));
    const absolute = ['--dataset', 'tool_calls', join(logs, 'claude')];
    same(cached('seq-scan', home, absolute), truth('seq-scan', absolute));
    expect(tableFiles(home)).toHaveLength(2);
    // The relative name from another folder: its rows name files from there.
    const elsewhere = mkdtempSync(join(tmpdir(), 'seq-tables-cwd-'));
    cpSync(join(logs, 'claude'), join(elsewhere, 'claude'), { recursive: true });
    same(cached('seq-scan', home, relative, {}, elsewhere), truth('seq-scan', relative, {}, elsewhere));
  });
});

describe('a table that cannot be trusted is not used', () => {
  const damage: Record<string, (path: string) => void> = {
    garbage: (path) => writeFileSync(path, Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 256))),
    'cut short': (path) => writeFileSync(path, readFileSync(path).subarray(0, 1000)),
    'a byte changed in its rows': (path) => {
      const bytes = readFileSync(path);
      const at = bytes.length - 10;
      bytes[at] = (bytes[at] as number) ^ 0x5a;
      writeFileSync(path, bytes);
    },
    // The same length, so that only the version differs.
    'from another version': (path) =>
      writeFileSync(
        path,
        readFileSync(path, 'latin1').replace(/"seq_table":"([^"]*)"/, (_, version: string) => `"seq_table":"${'0'.repeat(version.length)}"`),
        'latin1',
      ),
    empty: (path) => writeFileSync(path, ''),
    // The same length: only its CRC tells (the rows' layout says one block holds fewer rows).
    'a byte changed in its footer': (path) =>
      writeFileSync(
        path,
        readFileSync(path, 'latin1').replace(/"blocks":\[(\d)/, (_, d: string) => `"blocks":[${(Number(d) + 1) % 10}`),
        'latin1',
      ),
  };

  it.each(Object.keys(damage))('%s: the logs are read, and the table written again', (name) => {
    const logs = generatedSessions();
    const home = mkdtempSync(join(tmpdir(), 'seq-tables-home-'));
    const args = ['--dataset', 'usage', logs];
    const expected = truth('seq-scan', args);
    cached('seq-scan', home, args);
    const [file] = tableFiles(home);
    const path = join(tables(home), file as string);
    damage[name]?.(path);
    const damaged = readFileSync(path);
    same(cached('seq-scan', home, args), expected);
    expect(readFileSync(path).equals(damaged)).toBe(false);
    same(fromTable('seq-scan', home, args), expected);
  });

  it('scans at once over a cold cache all print the same, and leave one table', async () => {
    const logs = generatedSessions();
    const home = mkdtempSync(join(tmpdir(), 'seq-tables-home-'));
    const args = ['--dataset', 'usage', logs];
    const expected = truth('seq-scan', args).stdout;
    const once = (): Promise<string> => stdoutOf('seq-scan', args, { XDG_CACHE_HOME: home });
    const outputs = await Promise.all([once(), once(), once(), once()]);
    for (const out of outputs) expect(out).toBe(expected);
    expect(tableFiles(home)).toHaveLength(1);
    expect(readdirSync(tables(home)).filter((name) => !name.endsWith('.tbl'))).toEqual([]);
    expect(fromTable('seq-scan', home, args).stdout).toBe(expected);
  });

  it('seq cache info counts the tables; seq cache clear removes them', () => {
    const logs = generatedSessions();
    const home = mkdtempSync(join(tmpdir(), 'seq-tables-home-'));
    cached('seq-scan', home, ['--dataset', 'usage', logs]);
    cached('seq-scan', home, ['--dataset', 'sessions', logs]);
    const info = run('seq', ['cache', 'info', '--format', 'json'], { env: { XDG_CACHE_HOME: home } });
    const rows = JSON.parse(info.stdout) as Array<{ needs: string; files: number }>;
    expect(rows.find((row) => row.needs === 'tables')?.files).toBe(2);
    run('seq', ['cache', 'clear'], { env: { XDG_CACHE_HOME: home } });
    expect(tableFiles(home)).toEqual([]);
  });

  it("seq cache clear leaves what seq push kept of a table's rows, which no scan makes again", () => {
    const home = mkdtempSync(join(tmpdir(), 'seq-tables-home-'));
    cached('seq-scan', home, ['--dataset', 'usage', generatedSessions()]);
    mkdirSync(join(home, 'seq/push'));
    writeFileSync(join(home, 'seq/push/a.sent'), 'acknowledged rows\n');
    expect(run('seq', ['cache', 'clear'], { env: { XDG_CACHE_HOME: home } }).status).toBe(0);
    expect(readdirSync(join(home, 'seq'))).toEqual(['push']);
    expect(readFileSync(join(home, 'seq/push/a.sent'), 'utf8')).toBe('acknowledged rows\n');
  });
});
