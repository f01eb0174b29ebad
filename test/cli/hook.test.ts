/**
 * The Claude Code SessionEnd hook and what follows it: pending token files, the run that takes
 * them, install-hook, run --from-git, and jq recipes for .sequant/metrics.json on the store.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { env, run, sh, stdoutOf, tempFiles } from '../helpers/cli.js';
import { int, tables } from '../helpers/expected.js';
import { FIXTURES, generatedSessions, requireFixtures } from '../helpers/sessions.js';

const ready = requireFixtures();

/** The session's own transcript among the fixtures (one session there has only a subagent file). */
function transcriptOf(sessionId: string): string | undefined {
  const projects = join(FIXTURES, 'claude/projects');
  for (const project of readdirSync(projects)) {
    const path = join(projects, project, `${sessionId}.jsonl`);
    if (existsSync(path)) return path;
  }
  return undefined;
}

function hook(dir: string, input: Record<string, unknown> | string): { status: number | null; stdout: string; stderr: string } {
  return run('seq-record', ['hook'], { cwd: dir, input: typeof input === 'string' ? input : JSON.stringify(input) });
}

function pending(dir: string): string[] {
  return existsSync(join(dir, '.seq')) ? readdirSync(join(dir, '.seq')).filter((n) => n.startsWith('.token-usage-') && n !== '.token-usage-taken.json') : [];
}

function storeRuns(dir: string): Array<{ metrics: Record<string, number> }> {
  return (JSON.parse(readFileSync(join(dir, '.seq/metrics.json'), 'utf8')) as { runs: Array<{ metrics: Record<string, number> }> }).runs;
}

describe.skipIf(!ready)('seq-record hook on the fixture transcripts', () => {
  it("keeps each session's usage as in EXPECTED.md (dedupe by message.id and requestId, largest kept)", () => {
    const [, sessions] = tables('## Claude: `claude/projects`');
    let checked = 0;
    for (const expected of sessions ?? []) {
      const id = expected.sessionId ?? '';
      if (transcriptOf(id) === undefined) continue;
      checked++;
      const dir = tempFiles({});
      const r = hook(dir, { session_id: id, transcript_path: transcriptOf(id) ?? '', cwd: dir, hook_event_name: 'SessionEnd', reason: 'exit' });
      expect(r.status, id).toBe(0);
      const kept = JSON.parse(readFileSync(join(dir, `.seq/.token-usage-${id}.json`), 'utf8')) as Record<string, number>;
      expect(kept, id).toMatchObject({
        input_tokens: int(expected.input),
        output_tokens: int(expected.output),
        cache_creation_input_tokens: int(expected.cache_write),
        cache_read_input_tokens: int(expected.cache_read),
        requests: int(expected.requests),
      });
    }
    expect(checked).toBe((sessions?.length ?? 0) - 1);
  });

  it("counts a session's subagent files toward it (the 2.1 layout: <session>/subagents/)", () => {
    const examples = generatedSessions();
    const projects = join(examples, 'claude/projects');
    const withAgents = readdirSync(projects).flatMap((p) =>
      readdirSync(join(projects, p))
        .filter((n) => existsSync(join(projects, p, n, 'subagents')))
        .map((n) => join(projects, p, n)),
    );
    expect(withAgents.length).toBeGreaterThan(0);
    const folder = withAgents[0] as string;
    const id = folder.slice(folder.lastIndexOf('/') + 1);
    const dir = tempFiles({});
    expect(hook(dir, { session_id: id, transcript_path: `${folder}.jsonl`, cwd: dir }).status).toBe(0);
    const kept = JSON.parse(readFileSync(join(dir, `.seq/.token-usage-${id}.json`), 'utf8')) as Record<string, number>;
    const viaQuery = run('seq', [
      'query',
      '--dataset',
      'usage',
      '--where',
      `session_id == ${id}`,
      '--metric',
      'count::requests',
      '--metric',
      'sum:output_tokens:out',
      '--format',
      'jsonl',
      examples,
    ]);
    const own = run('seq', [
      'query',
      '--dataset',
      'usage',
      '--where',
      `session_id == ${id}`,
      '--metric',
      'count::requests',
      '--format',
      'jsonl',
      `${folder}.jsonl`,
    ]);
    expect(JSON.parse(viaQuery.stdout)).toEqual({ requests: kept.requests, out: kept.output_tokens });
    expect(kept.requests).toBeGreaterThan((JSON.parse(own.stdout) as { requests: number }).requests);
  });

  it('the next run takes the pending usage, then the files are gone; a token flag given wins', () => {
    const dir = tempFiles({});
    const a = '7acd37a8-2745-4b58-a8a9-46164b22ad9e';
    const b = 'fe869ecb-c176-478f-9734-7e4b8ef12cff';
    for (const id of [a, b]) expect(hook(dir, { session_id: id, transcript_path: transcriptOf(id) ?? '', cwd: dir }).status).toBe(0);
    expect(pending(dir)).toHaveLength(2);
    const r = run('seq-record', ['run', '--issues', '5', '--outcome', 'success', '--output-tokens', '7'], { cwd: dir });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('seq-record: added the token usage of 2 ended Claude Code sessions to the run\n');
    // a: 1804 in, 20797 out, 182937 + 1502915 cache; b: 279 in, 2201 out, 83966 + 1164952 cache.
    expect(storeRuns(dir)[0]?.metrics).toMatchObject({
      tokensUsed: 2083 + 22998,
      inputTokens: 2083,
      outputTokens: 7,
      cacheTokens: 182937 + 1502915 + 83966 + 1164952,
    });
    expect(pending(dir)).toEqual([]);
    run('seq-record', ['run', '--issues', '6', '--outcome', 'success'], { cwd: dir });
    expect(storeRuns(dir)[1]?.metrics.tokensUsed).toBe(0);
  });

  it('a damaged ledger of what runs took stops the run before the store is written; the pending usage stays', () => {
    const dir = tempFiles({});
    const a = '7acd37a8-2745-4b58-a8a9-46164b22ad9e';
    expect(hook(dir, { session_id: a, transcript_path: transcriptOf(a) ?? '', cwd: dir }).status).toBe(0);
    writeFileSync(join(dir, '.seq/.token-usage-taken.json'), '{oops');
    for (let i = 0; i < 2; i++) {
      expect(run('seq-record', ['run', '--issues', '5', '--outcome', 'success'], { cwd: dir })).toEqual({
        status: 1,
        stdout: '',
        stderr: `seq-record: ${dir}/.seq/.token-usage-taken.json is damaged; it was left untouched. Remove it (the tokens of sessions that end again may then count twice); the run was not recorded\n`,
      });
    }
    expect(existsSync(join(dir, '.seq/metrics.json'))).toBe(false);
    expect(pending(dir)).toHaveLength(1);
  });

  it('a session that ends again (resumed) keeps only what is new since a run took its tokens', () => {
    const dir = tempFiles({});
    const id = 'ba79134d-b6e9-4867-af0c-6941038c9e4b';
    const source = transcriptOf(id) ?? '';
    const lines = readFileSync(source, 'utf8')
      .split('\n')
      .filter((l) => l !== '');
    // The session so far: all but its last ten lines; then it ends, a run takes it, it is resumed and ends again.
    const transcript = join(dir, `${id}.jsonl`);
    writeFileSync(transcript, `${lines.slice(0, -10).join('\n')}\n`);
    const end = (): void => {
      expect(hook(dir, { session_id: id, transcript_path: transcript, cwd: dir }).status).toBe(0);
    };
    end();
    expect(run('seq-record', ['run', '-q', '--issues', '1', '--outcome', 'success'], { cwd: dir }).status).toBe(0);
    const first = storeRuns(dir)[0]?.metrics.tokensUsed ?? 0;
    expect(first).toBeGreaterThan(0);
    end();
    expect(hook(dir, { session_id: id, transcript_path: transcript, cwd: dir }).stderr).toContain(
      'nothing new in the session since the last run took its tokens',
    );
    expect(pending(dir)).toEqual([]);
    writeFileSync(transcript, `${lines.join('\n')}\n`);
    end();
    expect(run('seq-record', ['run', '-q', '--issues', '2', '--outcome', 'success'], { cwd: dir }).status).toBe(0);
    // Both runs together took the whole session: 91 input + 2266 output (EXPECTED.md), once.
    expect(first + (storeRuns(dir)[1]?.metrics.tokensUsed ?? 0)).toBe(91 + 2266);
  });

  it('a run whose id is stored already leaves the pending usage for the next run', () => {
    const dir = tempFiles({});
    const id = '0d7f6a3e-1111-4222-8333-444455556666';
    run('seq-record', ['run', '--id', id, '--issues', '1', '--outcome', 'success'], { cwd: dir });
    const session = '7acd37a8-2745-4b58-a8a9-46164b22ad9e';
    hook(dir, { session_id: session, transcript_path: transcriptOf(session) ?? '', cwd: dir });
    expect(run('seq-record', ['run', '--id', id, '--issues', '1', '--outcome', 'success'], { cwd: dir }).status).toBe(0);
    expect(pending(dir)).toHaveLength(1);
    expect(storeRuns(dir)).toHaveLength(1);
  });
});

describe('seq-record hook, bad input', () => {
  it("refuses what is not the hook's JSON (exit 2), and a missing transcript (exit 1); nothing is kept", () => {
    const dir = tempFiles({});
    expect(hook(dir, 'nope')).toEqual({
      status: 2,
      stdout: '',
      stderr: 'seq-record: stdin: expected the hook\'s JSON ({"session_id", "transcript_path", "cwd"}), as Claude Code sends it\n',
    });
    expect(hook(dir, { session_id: '../../etc/x', transcript_path: '/t.jsonl' }).stderr).toBe(
      'seq-record: stdin.session_id: expected a session id, got "../../etc/x"\n',
    );
    const r = hook(dir, { session_id: 'abc', transcript_path: join(dir, 'gone.jsonl'), cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`seq-record: the transcript ${join(dir, 'gone.jsonl')} is not there; nothing was kept\n`);
    expect(pending(dir)).toEqual([]);
    const gone = join(dir, 'gone');
    const missing = hook(dir, { session_id: 'abc', transcript_path: join(dir, 'gone.jsonl'), cwd: gone });
    expect(missing).toEqual({ status: 1, stdout: '', stderr: `seq-record: the session's folder ${gone} is not there; nothing was kept\n` });
    expect(existsSync(gone)).toBe(false);
    expect(run('seq-record', ['run', '--issues', '1', '--outcome', 'success', '--store'], { cwd: dir }).status).toBe(2);
    mkdirSync(join(dir, 'folder'));
    expect(hook(dir, { session_id: 'abc', transcript_path: join(dir, 'folder'), cwd: dir })).toEqual({
      status: 1,
      stdout: '',
      stderr: `seq-record: the transcript ${join(dir, 'folder')} is a folder, not a session's transcript; nothing was kept\n`,
    });
    writeFileSync(join(dir, 'empty.jsonl'), '');
    expect(hook(dir, { session_id: 'abc', transcript_path: join(dir, 'empty.jsonl'), cwd: dir })).toEqual({
      status: 0,
      stdout: '',
      stderr: 'seq-record: the transcript holds no token usage of the session; nothing kept\n',
    });
  });
});

describe('seq-record install-hook', () => {
  it('adds the SessionEnd entry, keeps every other setting and hook, and says what it changed; twice changes nothing', () => {
    const dir = tempFiles({});
    mkdirSync(join(dir, '.claude'));
    const before = {
      model: 'opus',
      permissions: { allow: ['Bash(ls)'] },
      hooks: {
        PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: 'echo pre' }] }],
        SessionEnd: [{ hooks: [{ type: 'command', command: 'echo bye' }] }],
      },
    };
    writeFileSync(join(dir, '.claude/settings.json'), JSON.stringify(before));
    const r = run('seq-record', ['install-hook'], { cwd: dir });
    // This seq-record is the one on PATH: the entry names it plainly, so a shared settings file works anywhere.
    const command = 'seq-record hook';
    expect(r).toEqual({
      status: 0,
      stdout: `added to .claude/settings.json: hooks.SessionEnd += {"hooks":[{"type":"command","command":${JSON.stringify(command)}}]}\n`,
      stderr: '',
    });
    const after = JSON.parse(readFileSync(join(dir, '.claude/settings.json'), 'utf8')) as typeof before;
    expect(after).toEqual({ ...before, hooks: { ...before.hooks, SessionEnd: [...before.hooks.SessionEnd, { hooks: [{ type: 'command', command }] }] } });
    expect(run('seq-record', ['install-hook'], { cwd: dir }).stdout).toBe(`.claude/settings.json already runs "${command}" at SessionEnd; nothing changed\n`);
    // The installed command works as Claude Code runs it: through a shell, from the project.
    const session = '7acd37a8-2745-4b58-a8a9-46164b22ad9e';
    if (ready) {
      const input = JSON.stringify({ session_id: session, transcript_path: transcriptOf(session) ?? '', cwd: dir });
      expect(spawnSync('sh', ['-c', command], { cwd: dir, input, encoding: 'utf8', env: env() }).status).toBe(0);
      expect(pending(dir)).toEqual([`.token-usage-${session}.json`]);
    }
  });

  it('a settings file linked from a dotfiles folder gets the hook where the link leads, and the link stays', () => {
    const dir = tempFiles({});
    mkdirSync(join(dir, 'dotfiles'));
    writeFileSync(join(dir, 'dotfiles/settings.json'), '{"model":"opus"}');
    mkdirSync(join(dir, '.claude'));
    symlinkSync('../dotfiles/settings.json', join(dir, '.claude/settings.json'));
    expect(run('seq-record', ['install-hook'], { cwd: dir }).status).toBe(0);
    expect(lstatSync(join(dir, '.claude/settings.json')).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'dotfiles/settings.json'), 'utf8'))).toEqual({
      model: 'opus',
      hooks: { SessionEnd: [{ hooks: [{ type: 'command', command: 'seq-record hook' }] }] },
    });
  });

  it('knows a seq-record hook already there under another path', () => {
    const dir = tempFiles({
      's.json': JSON.stringify({ hooks: { SessionEnd: [{ hooks: [{ type: 'command', command: "'/opt/my tools/seq-record' hook" }] }] } }),
    });
    expect(run('seq-record', ['install-hook', '--settings', 's.json'], { cwd: dir }).stdout).toBe(
      `s.json already runs "'/opt/my tools/seq-record' hook" at SessionEnd; nothing changed\n`,
    );
    const folder = run('seq-record', ['install-hook', '--settings', '.'], { cwd: dir });
    expect(folder.status).toBe(1);
    expect(folder.stderr).toMatch(/^seq-record: cannot read \.: it is a folder; it was left untouched/);
  });

  it('refuses flags that contradict or name nothing (exit 2), and writes nothing', () => {
    const dir = tempFiles({});
    const refused: Array<[string, string[], string]> = [
      ['seq-record', ['install-hook', '--user', '--settings', 'x.json'], 'seq-record: --settings and --user each name the file; give one of them'],
      ['seq-record', ['install-hook', '--settings', ''], 'seq-record: --settings: no file named'],
      ['seq-record', ['install-hook', '--command', ' '], 'seq-record: --command: an empty command'],
      ['seq', ['statusline', '--install', '--settings', ''], 'seq: --settings: no file named'],
      ['seq', ['statusline', '--settings', 'x.json'], 'seq: --settings is for --install; seq statusline --install --settings FILE'],
    ];
    for (const [command, args, said] of refused) {
      const r = run(command, args, { cwd: dir, env: { HOME: dir } });
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr.startsWith(said), r.stderr).toBe(true);
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it('installers at once both keep their change: the settings are changed under a lock', async () => {
    // A large file widens the moment between reading it and writing it back.
    const allow = Array.from({ length: 50_000 }, (_, i) => `Bash(x${i})`);
    for (let round = 0; round < 3; round++) {
      const dir = tempFiles({ 's.json': JSON.stringify({ permissions: { allow } }) });
      const settings = join(dir, 's.json');
      await Promise.all([
        stdoutOf('seq-record', ['install-hook', '--settings', settings, '--command', 'one']),
        stdoutOf('seq-record', ['install-hook', '--settings', settings, '--command', 'two']),
        stdoutOf('seq', ['statusline', '--install', '--settings', settings]),
      ]);
      const kept = JSON.parse(readFileSync(settings, 'utf8')) as { permissions: { allow: string[] }; hooks: { SessionEnd: unknown[] }; statusLine: unknown };
      expect(kept.permissions.allow).toHaveLength(50_000);
      expect(kept.hooks.SessionEnd).toHaveLength(2);
      expect(kept.statusLine).toMatchObject({ type: 'command' });
      expect(readdirSync(dir)).toEqual(['s.json']);
    }
  });

  it.skipIf(process.getuid?.() === 0)('a settings file made read-only is left as it was (exit 1)', () => {
    const dir = tempFiles({ 's.json': '{"model":"opus"}' });
    chmodSync(join(dir, 's.json'), 0o444);
    const r = run('seq-record', ['install-hook', '--settings', 's.json'], { cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^seq-record: cannot write s\.json: permission denied; it was left as it was/);
    expect(readFileSync(join(dir, 's.json'), 'utf8')).toBe('{"model":"opus"}');
  });

  it('never rewrites settings that do not parse (exit 1), and writes a new file with --settings', () => {
    const dir = tempFiles({ 'broken.json': '{"model": "opus",' });
    const r = run('seq-record', ['install-hook', '--settings', 'broken.json'], { cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /^seq-record: broken\.json: invalid JSON at line 1, column \d+: .*; it was left untouched\. Fix it, then run install-hook again\n$/,
    );
    expect(readFileSync(join(dir, 'broken.json'), 'utf8')).toBe('{"model": "opus",');
    expect(run('seq-record', ['install-hook', '--settings', 'new/settings.json', '--command', 'seq-record hook'], { cwd: dir }).status).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'new/settings.json'), 'utf8'))).toEqual({
      hooks: { SessionEnd: [{ hooks: [{ type: 'command', command: 'seq-record hook' }] }] },
    });
  });
});

describe('seq-record run --from-git', () => {
  it('counts files changed and lines added since BASE, and stores no path', () => {
    const dir = tempFiles({ 'a.txt': 'one\n', 'secret-name.ts': 'x\n' });
    const git = (script: string): string => sh(`git -c user.email=t@t -c user.name=t ${script}`, { cwd: dir }).stdout;
    sh('git init -q && git add . && git -c user.email=t@t -c user.name=t commit -qm base', { cwd: dir });
    writeFileSync(join(dir, 'a.txt'), 'one\ntwo\nthree\n');
    writeFileSync(join(dir, 'secret-name.ts'), 'y\n');
    writeFileSync(join(dir, 'image.bin'), Buffer.from([0, 1, 2, 0, 255]));
    git('add image.bin');
    const r = run('seq-record', ['run', '--issues', '4', '--outcome', 'success', '--from-git', 'HEAD'], { cwd: dir });
    expect(r.status).toBe(0);
    expect(storeRuns(dir)[0]?.metrics).toMatchObject({ filesChanged: 3, linesAdded: 3 });
    const text = readFileSync(join(dir, '.seq/metrics.json'), 'utf8');
    expect(text).not.toMatch(/a\.txt|secret-name|image\.bin/);
    expect(run('seq-record', ['run', '--issues', '4', '--outcome', 'success', '--from-git', 'HEAD', '--files-changed', '9'], { cwd: dir }).status).toBe(0);
    expect(storeRuns(dir)[1]?.metrics).toMatchObject({ filesChanged: 9, linesAdded: 3 });
    const bad = run('seq-record', ['run', '--issues', '4', '--outcome', 'success', '--from-git', 'no-such-branch'], { cwd: dir });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^seq-record: --from-git no-such-branch: git diff failed: /);
    expect(run('seq-record', ['run', '--issues', '4', '--outcome', 'success', '--from-git=--output=x'], { cwd: dir }).status).toBe(2);
    expect(storeRuns(dir)).toHaveLength(2);
    const outside = tempFiles({});
    const notRepo = run('seq-record', ['run', '--issues', '4', '--outcome', 'success', '--from-git', 'main'], { cwd: outside });
    expect(notRepo).toEqual({
      status: 1,
      stdout: '',
      stderr: `seq-record: --from-git: ${outside} is not inside a git working tree; run seq-record in the project's folder\n`,
    });
  });
});

describe('jq recipes for .sequant/metrics.json, on a store seq-record wrote', () => {
  const hasJq = spawnSync('jq', ['--version']).status === 0;
  it.skipIf(!hasJq && !process.env.CI)("each recipe runs as written and gives the store's figures", () => {
    const dir = tempFiles({});
    const record = (args: string): void => {
      expect(sh(`seq-record run --quiet ${args}`, { cwd: dir }).status).toBe(0);
    };
    record('--issues 1 --outcome success --files-changed 12 --tokens-used 900 --input-tokens 600 --output-tokens 300 --flags=--chain');
    record('--issues 2,3 --outcome failed --files-changed 4');
    record('--issues 4 --outcome success --files-changed 2');
    mkdirSync(join(dir, '.sequant'));
    sh('cp .seq/metrics.json .sequant/metrics.json', { cwd: dir });
    const jq = (recipe: string): string => {
      const r = sh(recipe, { cwd: dir });
      expect(r.stderr).toBe('');
      return r.stdout;
    };
    expect(jq("jq '.runs | length' .sequant/metrics.json")).toBe('3\n');
    expect(JSON.parse(jq("jq '[.runs[].outcome] | group_by(.) | map({outcome: .[0], count: length})' .sequant/metrics.json"))).toEqual([
      { outcome: 'failed', count: 1 },
      { outcome: 'success', count: 2 },
    ]);
    expect(jq("jq '[.runs[].metrics.filesChanged] | add / length' .sequant/metrics.json")).toBe('6\n');
    expect(
      JSON.parse(jq("jq '.runs[] | select(.metrics.filesChanged > 10) | {date, issues, filesChanged: .metrics.filesChanged}' .sequant/metrics.json")),
    ).toMatchObject({ issues: [1], filesChanged: 12 });
    expect(JSON.parse(jq('jq \'.runs[] | select(.flags | contains(["--chain"]))\' .sequant/metrics.json'))).toMatchObject({ issues: [1], flags: ['--chain'] });
    expect(
      JSON.parse(
        jq(
          "jq '.runs[] | select(.metrics.tokensUsed > 0) | {date, tokens: .metrics.tokensUsed, input: .metrics.inputTokens, output: .metrics.outputTokens}' .sequant/metrics.json",
        ),
      ),
    ).toMatchObject({ tokens: 900, input: 600, output: 300 });
  });
});
