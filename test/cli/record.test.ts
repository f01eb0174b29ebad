/** seq-record and the run store: validation, privacy, atomic writes under a lock. */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, env, jsonLines, run, sh, tempFiles } from '../helpers/cli.js';

const RUN = {
  id: '0d7f6a3e-1111-4222-8333-444455556666',
  date: '2026-11-01T10:00:00.000Z',
  issues: [7],
  phases: ['exec', 'qa'],
  outcome: 'partial',
  duration: 300,
  model: 'sonnet',
  flags: [],
  metrics: { tokensUsed: 1000, filesChanged: 2, linesAdded: 40, acceptanceCriteria: 3, qaIterations: 1 },
};

function store(dir: string, file = '.seq/metrics.json'): { version: number; runs: Array<Record<string, unknown>> } {
  return JSON.parse(readFileSync(join(dir, file), 'utf8')) as { version: number; runs: Array<Record<string, unknown>> };
}

describe('seq-record run', () => {
  it('records one run from flags, in the schema shape, and prints its id', () => {
    const dir = tempFiles({});
    const r = run(
      'seq-record',
      [
        'run',
        '--issues',
        '12,13',
        '--outcome',
        'success',
        '--phases',
        'spec,exec,qa',
        '--duration',
        '510',
        '--model',
        'opus',
        '--flags=--chain',
        '--files-changed',
        '6',
        '--lines-added',
        '380',
        '--qa-iterations',
        '1',
        '--acceptance-criteria',
        '4',
      ],
      { cwd: dir },
    );
    expect(r.status).toBe(0);
    const id = r.stdout.trim();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.stderr).toBe(`seq-record: recorded 1 run in ${dir}/.seq/metrics.json\n`);
    const saved = store(dir);
    expect(saved.version).toBe(1);
    expect(saved.runs).toEqual([
      {
        id,
        date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
        issues: [12, 13],
        phases: ['spec', 'exec', 'qa'],
        outcome: 'success',
        duration: 510,
        model: 'opus',
        flags: ['--chain'],
        metrics: { tokensUsed: 0, filesChanged: 6, linesAdded: 380, acceptanceCriteria: 4, qaIterations: 1 },
      },
    ]);
  });

  it.each([
    [['--outcome', 'success'], 'seq-record: --issues: missing; give the issue numbers of the run, e.g. --issues 12,13\n'],
    [['--issues', '12', '--outcome', 'won'], 'seq-record: --outcome: unknown outcome "won"; expected one of success, partial, failed\n'],
    [
      ['--issues', 'login-bug', '--outcome', 'failed'],
      'seq-record: --issues: expected an issue number (a positive integer below 2^53; never a title), got "login-bug"\n',
    ],
    [
      ['--issues', '9007199254740993', '--outcome', 'failed'],
      'seq-record: --issues: expected an issue number (a positive integer below 2^53; never a title), got "9007199254740993"\n',
    ],
    [
      ['--issues', '1', '--outcome', 'failed', '--lines-added', '99999999999999999999'],
      'seq-record: --lines-added: expected a non-negative integer below 2^53, got "99999999999999999999"\n',
    ],
    [['--issues', '1', '--outcome', 'failed', '--files-changed', '-2'], 'seq-record: --files-changed: expected a non-negative integer below 2^53, got -2\n'],
    [
      ['--issues', '1', '--outcome', 'failed', '--model', '/home/me/models/x'],
      'seq-record: --model: expected a model name such as opus or claude-opus-4-6, got "/home/me/models/x"\n',
    ],
    [
      ['--issues', '1', '--outcome', 'failed', '--flags=--log=/home/me/x.log'],
      'seq-record: --flags: expected a flag by its name, such as --chain, with at most a number as its value (--max-iterations=3): a value could hold a key or a name, got "--log=/home/me/x.log"\n',
    ],
    [
      ['--issues', '1', '--outcome', 'failed', '--flags=--api-key=sk-ant-api03-Xq9a'],
      'seq-record: --flags: expected a flag by its name, such as --chain, with at most a number as its value (--max-iterations=3): a value could hold a key or a name, got "--api-key=sk-ant-api03-Xq9a"\n',
    ],
    [
      ['--issues', '1', '--outcome', 'failed', '--model', 'john.doe@acme.com'],
      'seq-record: --model: expected a model name such as opus or claude-opus-4-6, got "john.doe@acme.com"\n',
    ],
    [
      ['--issues', '1', '--outcome', 'failed', '--date', '2026-02-30T10:00:00Z'],
      'seq-record: --date: expected an ISO 8601 date and time with a zone (2026-11-21T10:00:00Z), got "2026-02-30T10:00:00Z"\n',
    ],
    [
      ['--issues', '1', '--outcome', 'failed', '--phases', 'deploy'],
      'seq-record: --phases: unknown phase "deploy"; expected one of spec, security-review, testgen, exec, test, qa, loop\n',
    ],
  ])('refuses %j with status 2 and writes nothing', (args, message) => {
    const dir = tempFiles({});
    expect(run('seq-record', ['run', ...args], { cwd: dir })).toEqual({ status: 2, stdout: '', stderr: message });
    expect(existsSync(join(dir, '.seq/metrics.json'))).toBe(false);
  });
});

describe('seq-record from JSON Lines', () => {
  it('copies the runs of a store: jq, seq-scan and seq-record in a pipe', () => {
    const dir = tempFiles({});
    mkdirSync(join(dir, '.sequant'));
    const second = { ...RUN, id: '9b2c6a3e-1111-4222-8333-444455556666', outcome: 'success', flags: ['--chain'] };
    writeFileSync(join(dir, '.sequant/metrics.json'), JSON.stringify({ version: 1, runs: [RUN, second] }, null, 2));
    const r = sh(`jq -c '.runs[]' .sequant/metrics.json | seq-scan --dataset jsonl | seq-record --store copy.json`, { cwd: dir });
    expect(r.status).toBe(0);
    expect(store(dir, 'copy.json')).toEqual({ version: 1, runs: [RUN, second] });
  });

  it('seq-scan --dataset runs reads a store, and seq-record copies what it reads', () => {
    const dir = tempFiles({ 'old.json': JSON.stringify({ version: 1, runs: [RUN] }) });
    const rows = jsonLines(run('seq-scan', ['--dataset', 'runs', 'old.json'], { cwd: dir }).stdout);
    expect(rows).toEqual([{ ...RUN, timestamp: RUN.date, day: '2026-11-01', week: '2026-W44', month: '2026-11', chain: false, issue_count: 1 }]);
    expect(sh('seq-scan --dataset runs old.json | seq-record -q --store new.json', { cwd: dir })).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(store(dir, 'new.json')).toEqual({ version: 1, runs: [RUN] });
    expect(
      run('seq', ['query', '--dataset', 'runs', '--by', 'outcome', '--metric', 'avg:metrics.linesAdded:lines', '--format', 'jsonl', 'old.json'], { cwd: dir })
        .stdout,
    ).toBe('{"outcome":"partial","lines":40}\n');
    expect(run('seq-scan', ['--dataset', 'runs'], { cwd: dir }).stderr).toBe(
      `seq-scan: no run store at ${dir}/.seq/metrics.json yet; record runs with seq-record\n`,
    );
    // A store named that is not there, or a folder, is a mistake: status 1.
    expect(run('seq-scan', ['--dataset', 'runs', 'missing.json'], { cwd: dir })).toMatchObject({
      status: 1,
      stderr: 'seq-scan: cannot read missing.json: no such file or folder\n',
    });
    expect(run('seq-scan', ['--dataset', 'runs', '.'], { cwd: dir })).toMatchObject({
      status: 1,
      stderr: 'seq-scan: cannot read .: a folder, not a run store: a run store is the JSON file seq-record writes (give its path)\n',
    });
    // A device is never read (/dev/zero has no end), written, locked (no /dev/full.lock) or offered to be moved aside.
    const notFile = (store: string) =>
      `${store} is a device, a pipe or a socket, not a run store: a run store is the JSON file seq-record writes (give its path)\n`;
    for (const device of ['/dev/full', '/dev/null', '/dev/zero']) {
      expect(sh(`seq-scan --dataset runs old.json | seq-record --store ${device}`, { cwd: dir })).toEqual({
        status: 1,
        stdout: '',
        stderr: `seq-record: ${notFile(device)}`,
      });
      expect(existsSync(`${device}.lock`)).toBe(false);
    }
    expect(run('seq', ['stats', '--store', '/dev/zero'], { cwd: dir, timeoutMs: 20_000 })).toEqual({
      status: 1,
      stdout: '',
      stderr: `seq: ${notFile('/dev/zero')}`,
    });
  });

  it('one invalid run means nothing is written; the message names the run and the field', () => {
    const dir = tempFiles({
      'runs.jsonl': [
        JSON.stringify(RUN),
        JSON.stringify({ ...RUN, id: '1d7f6a3e-1111-4222-8333-444455556666', metrics: { ...RUN.metrics, linesAdded: 'many' } }),
      ].join('\n'),
    });
    const r = run('seq-record', ['runs.jsonl'], { cwd: dir });
    expect(r).toEqual({
      status: 2,
      stdout: '',
      stderr: 'seq-record: runs.jsonl:2: run.metrics.linesAdded: expected a non-negative integer below 2^53, got "many"; nothing was recorded\n',
    });
    expect(existsSync(join(dir, '.seq/metrics.json'))).toBe(false);
  });

  it.each([
    ['title', { title: 'Fix the login page' }],
    ['path', { path: '/home/me/project' }],
    ['error', { error: 'TypeError: x is undefined at /src/a.ts:3' }],
    ['code', { code: 'rm -rf /' }],
  ])('refuses a run with a %s field, by name: nothing but the schema reaches the store', (field, extra) => {
    const dir = tempFiles({});
    const r = run('seq-record', [], { cwd: dir, input: `${JSON.stringify({ ...RUN, ...extra })}\n` });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`seq-record: stdin:1: run.${field}: not a field of the run store`);
    expect(existsSync(join(dir, '.seq/metrics.json'))).toBe(false);
  });

  it('refuses unknown fields inside metrics too', () => {
    const r = run('seq-record', ['--store', 's.json'], {
      cwd: tempFiles({}),
      input: JSON.stringify({ ...RUN, metrics: { ...RUN.metrics, lastError: 'boom' } }),
    });
    expect(r.stderr).toContain('seq-record: stdin:1: run.metrics.lastError: not a field of the run store');
    expect(r.status).toBe(2);
  });

  it('a run whose id is stored already changes nothing', () => {
    const dir = tempFiles({});
    expect(run('seq-record', [], { cwd: dir, input: JSON.stringify(RUN) }).status).toBe(0);
    const before = readFileSync(join(dir, '.seq/metrics.json'), 'utf8');
    const again = run('seq-record', [], { cwd: dir, input: JSON.stringify(RUN) });
    expect(again.stderr).toBe(`seq-record: recorded 0 runs in ${dir}/.seq/metrics.json (1 already there, unchanged)\n`);
    expect(readFileSync(join(dir, '.seq/metrics.json'), 'utf8')).toBe(before);
  });
  it('a run repeated in the input is kept once, and said so; a line that is not JSON says where it goes wrong', () => {
    const dir = tempFiles({});
    expect(run('seq-record', ['--store', 's.json'], { cwd: dir, input: `${JSON.stringify(RUN)}\n${JSON.stringify(RUN)}\n` }).stderr).toBe(
      `seq-record: recorded 1 run in ${dir}/s.json (1 repeated in the input, kept once)\n`,
    );
    expect(run('seq-record', ['--store', 's.json'], { cwd: dir, input: `${JSON.stringify(RUN)}\n{oops\n` })).toEqual({
      status: 2,
      stdout: '',
      stderr: 'seq-record: stdin:2: not a run (invalid JSON at column 2: expected a key in double quotes, got "o"); nothing was recorded\n',
    });
  });
});

describe('the store', () => {
  it('is found by --store, then SEQ_STORE, then .seq/metrics.json, and extends an existing Sequant store', () => {
    const dir = tempFiles({});
    mkdirSync(join(dir, '.sequant'));
    writeFileSync(join(dir, '.sequant/metrics.json'), JSON.stringify({ version: 1, runs: [RUN] }));
    const second = { ...RUN, id: '2d7f6a3e-1111-4222-8333-444455556666' };
    expect(run('seq-record', ['-q'], { cwd: dir, input: JSON.stringify(second) })).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(store(dir, '.sequant/metrics.json').runs).toEqual([RUN, second]);
    run('seq-record', ['-q'], { cwd: dir, input: JSON.stringify(RUN), env: { SEQ_STORE: 'env.json' } });
    expect(store(dir, 'env.json').runs).toEqual([RUN]);
  });

  it('a store that does not parse is never overwritten; the message says where and how to recover', () => {
    const dir = tempFiles({});
    mkdirSync(join(dir, '.seq'));
    const broken = '{"version": 1, "runs": [\n  {"id": "x",}\n';
    writeFileSync(join(dir, '.seq/metrics.json'), broken);
    const r = run('seq-record', [], { cwd: dir, input: JSON.stringify(RUN) });
    expect(r.status).toBe(1);
    const path = `${dir}/.seq/metrics.json`;
    expect(r.stderr).toBe(
      `seq-record: the run store ${path} cannot be read (invalid JSON at line 2, column 14: expected a key in double quotes, got "}"); it was left untouched. Repair it, or move it aside (mv ${path} ${path}.broken) and a new store starts with the next run\n`,
    );
    expect(readFileSync(path, 'utf8')).toBe(broken);
  });

  it('a store reached through a link is written where the link leads, and the link stays', () => {
    const dir = tempFiles({});
    mkdirSync(join(dir, 'dotfiles'));
    mkdirSync(join(dir, '.seq'));
    writeFileSync(join(dir, 'dotfiles/metrics.json'), JSON.stringify({ version: 1, runs: [RUN] }));
    symlinkSync('../dotfiles/metrics.json', join(dir, '.seq/metrics.json'));
    const second = { ...RUN, id: '4d7f6a3e-1111-4222-8333-444455556666' };
    expect(run('seq-record', ['-q'], { cwd: dir, input: JSON.stringify(second) })).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(lstatSync(join(dir, '.seq/metrics.json')).isSymbolicLink()).toBe(true);
    expect(store(dir, 'dotfiles/metrics.json').runs).toEqual([RUN, second]);
  });

  it('a store that cannot be read is named with a recovery command the shell reads back, a folder with spaces too', () => {
    const dir = tempFiles({});
    mkdirSync(join(dir, 'my project'));
    writeFileSync(join(dir, 'my project/m.json'), '{');
    const path = join(dir, 'my project/m.json');
    const r = run('seq-record', ['run', '--issues', '1', '--outcome', 'success', '--store', path]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`(mv '${path}' '${path}.broken')`);
    const stats = run('seq', ['stats', '--store', path]);
    expect(stats.status).toBe(1);
    expect(stats.stdout).toBe('');
    expect(stats.stderr).toContain(`seq: the run store ${path} cannot be read (invalid JSON at line 1, column 2`);
  });

  it('several stores: one that cannot be read is named, and the others are read', () => {
    const dir = tempFiles({ 'good.json': JSON.stringify({ version: 1, runs: [RUN] }), 'bad.json': '{' });
    const r = run('seq', ['query', '--dataset', 'runs', '--by', 'outcome', '--format', 'jsonl', 'good.json', 'bad.json'], { cwd: dir });
    expect(r.status).toBe(1);
    expect(jsonLines(r.stdout)).toEqual([{ outcome: 'partial', count: 1 }]);
    expect(r.stderr).toBe(
      'seq: cannot read bad.json: invalid JSON at line 1, column 2: expected a key in double quotes, got the end of the text; repair it, or move it aside (mv bad.json bad.json.broken) and seq-record starts a new store with the next run\n',
    );
  });

  it('an input that cannot be read records none of the others, and says so', () => {
    const dir = tempFiles({ 'good.jsonl': `${JSON.stringify(RUN)}\n` });
    expect(run('seq-record', ['--store', 'to.json', 'good.jsonl', 'missing.jsonl'], { cwd: dir })).toEqual({
      status: 1,
      stdout: '',
      stderr: 'seq-record: cannot read missing.jsonl: no such file or folder\nseq-record: nothing was recorded\n',
    });
    expect(existsSync(join(dir, 'to.json'))).toBe(false);
  });

  it('copies runs the stages wrote with a null failureCategory (a field the row lacks)', () => {
    const dir = tempFiles({ 'from.json': JSON.stringify({ version: 1, runs: [RUN] }) });
    const fields = 'id,date,issues,phases,outcome,duration,model,flags,metrics,failureCategory';
    const r = sh(`seq query --dataset runs --select ${fields} --format jsonl from.json | seq-record -q --store to.json`, { cwd: dir });
    expect(r).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(store(dir, 'to.json').runs).toEqual([RUN]);
  });

  // A full disk and a read-only folder, for real: a tiny tmpfs in a private mount namespace.
  const canMount = spawnSync('unshare', ['--mount', 'sh', '-c', 'mount -t tmpfs -o size=64k tmpfs /mnt']).status === 0;
  if (!canMount) console.warn('cannot mount a tmpfs here (needs root and unshare): skipping the full-disk and read-only store tests');

  it.skipIf(!canMount).each([
    ['a full disk', 'dd if=/dev/zero of="$d/filler" bs=1k count=200 2>/dev/null || true', 'no space left on the device'],
    ['a read-only folder', 'mount -o remount,ro "$d"', 'read-only file system'],
  ])('%s leaves the old store intact, with status 1 and a clear message', (_name, fault, reason) => {
    const dir = tempFiles({ 'run.json': JSON.stringify({ ...RUN, id: '3d7f6a3e-1111-4222-8333-444455556666' }) });
    const original = `${JSON.stringify({ version: 1, runs: [RUN] }, null, 2)}\n`;
    writeFileSync(join(dir, 'original.json'), original);
    const script = [
      `d=${dir}/mnt; mkdir -p "$d"`,
      'mount -t tmpfs -o size=64k tmpfs "$d"',
      `cp ${dir}/original.json "$d/metrics.json"`,
      fault,
      `seq-record --store "$d/metrics.json" ${dir}/run.json; echo "status $?"`,
      `cmp "$d/metrics.json" ${dir}/original.json && echo intact`,
      'ls -A "$d"',
    ].join('\n');
    const r = spawnSync('unshare', ['--mount', 'bash', '-c', script], { env: env(), encoding: 'utf8' });
    expect(r.stdout).toMatch(/^status 1\nintact\n/);
    expect(r.stdout).not.toMatch(/\.tmp|\.lock/);
    expect(r.stderr).toContain(reason);
    expect(r.stderr).toMatch(/^seq-record: (cannot write the run store|cannot lock the run store) /);
  });

  it.skipIf(!canMount)('a disk that fills up run by run: every run either stored whole (0) or refused (1); the store always parses', () => {
    const script = [
      'd=$(mktemp -d); mount -t tmpfs -o size=12k tmpfs "$d"',
      'for i in $(seq 1 40); do',
      '  seq-record run -q --issues $i --outcome success --store "$d/m.json" > /dev/null 2>&1; s=$?',
      '  jq -e . "$d/m.json" > /dev/null || { echo "broken after $i"; break; }',
      '  n=$(jq ".runs | length" "$d/m.json"); echo "$s $n"',
      'done',
    ].join('\n');
    const r = spawnSync('unshare', ['--mount', 'bash', '-c', script], { env: env(), encoding: 'utf8' });
    const lines = r.stdout.trim().split('\n');
    expect(r.stdout).not.toContain('broken');
    let stored = 0;
    for (const line of lines) {
      const [status, runs] = line.split(' ').map(Number);
      if (status === 0) stored++;
      expect([0, 1]).toContain(status);
      expect(runs).toBe(stored);
    }
    expect(lines.some((l) => l.startsWith('1 '))).toBe(true);
  });

  it('recovers a stale lock left by a process that died', () => {
    const dir = tempFiles({});
    mkdirSync(join(dir, '.seq'));
    const dead = spawnSync('sh', ['-c', 'echo $$']).stdout.toString().trim();
    writeFileSync(
      join(dir, '.seq/metrics.json.lock'),
      JSON.stringify({ pid: Number(dead), host: spawnSync('hostname').stdout.toString().trim(), since: Date.now() }),
    );
    const r = run('seq-record', ['-q'], { cwd: dir, input: JSON.stringify(RUN) });
    expect(r).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(store(dir).runs).toEqual([RUN]);
    expect(existsSync(join(dir, '.seq/metrics.json.lock'))).toBe(false);
  });

  it('50 recorders at once lose nothing: 50 runs in a valid file', async () => {
    const dir = tempFiles({});
    const ids = Array.from({ length: 50 }, (_, i) => `${String(i).padStart(8, '0')}-1111-4222-8333-444455556666`);
    const statuses = await Promise.all(
      ids.map(
        (id) =>
          new Promise<number | null>((resolve) => {
            const child = spawn(join(BIN, 'seq-record'), ['-q'], { cwd: dir, env: env(), stdio: ['pipe', 'ignore', 'inherit'] });
            child.on('close', resolve);
            child.stdin.end(`${JSON.stringify({ ...RUN, id })}\n`);
          }),
      ),
    );
    expect(statuses.every((s) => s === 0)).toBe(true);
    const saved = store(dir);
    expect(saved.runs.map((r) => r.id).sort()).toEqual(ids);
    expect(sh('ls -A .seq', { cwd: dir }).stdout).toBe('metrics.json\n');
  }, 120_000);
});
