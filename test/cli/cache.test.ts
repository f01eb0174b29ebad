/**
 * The cache of session files, through the real executables: a scan through the cache prints
 * exactly what a scan without it prints, whatever happened to the files or to the cache since.
 */
import { execFileSync, spawn } from 'node:child_process';
import {
  appendFileSync,
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, env, ROOT, run, sh, stdoutOf, type Result } from '../helpers/cli.js';
import { FIXTURES, generatedSessions, hasFixtures } from '../helpers/sessions.js';
import { indexLines, same, SESSION_DATASETS, truth } from '../helpers/cached.js';
import { CACHE_FORMAT } from '../../lib/cache/layout.js';
import { TABLE_FORMAT } from '../../lib/cache/table-file.js';

function cacheHome(): string {
  return mkdtempSync(join(tmpdir(), 'seq-cache-test-'));
}

function scan(home: string, args: string[]): Result {
  return run('seq-scan', args, { env: { XDG_CACHE_HOME: home } });
}

function folder(home: string, needs = 'tokens'): string {
  return join(home, `seq/events-${CACHE_FORMAT}`, needs);
}

function segments(home: string, needs = 'tokens'): string[] {
  return readdirSync(folder(home, needs)).filter((name) => name.startsWith('seg-'));
}

function cachedFiles(home: string): Record<string, number> {
  const r = run('seq', ['cache', 'info', '--format', 'json'], { env: { XDG_CACHE_HOME: home } });
  expect(r.status).toBe(0);
  return Object.fromEntries((JSON.parse(r.stdout) as { needs: string; files: number }[]).map((row) => [row.needs, row.files]));
}

/** One Codex rollout and one Claude transcript of the generated examples, copied to a folder of their own. */
function sampleFiles(): { dir: string; codex: string; claude: string } {
  const root = generatedSessions();
  const find = (path: string, test: (name: string) => boolean): string => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const full = join(path, entry.name);
      if (entry.isDirectory()) {
        const found = find(full, test);
        if (found) return found;
      } else if (test(entry.name)) return full;
    }
    return '';
  };
  const dir = mkdtempSync(join(tmpdir(), 'seq-cache-files-'));
  const codex = join(dir, 'rollout-2026-11-02T08-00-00-0b5e2d1c-1111-4a4a-9c9c-000000000001.jsonl');
  const claude = join(dir, '2c5e2d1c-2222-4a4a-9c9c-000000000002.jsonl');
  copyFileSync(
    find(join(root, 'codex'), (name) => name.startsWith('rollout-') && name.endsWith('.jsonl')),
    codex,
  );
  copyFileSync(
    find(join(root, 'claude'), (name) => name.endsWith('.jsonl') && !name.startsWith('agent-')),
    claude,
  );
  return { dir, codex, claude };
}

/** Cuts a file in the middle of a line: what is left is a session still being written. */
function cutMidLine(path: string): Buffer {
  const whole = readFileSync(path);
  const lines = whole.toString('utf8').split('\n');
  const keep = Buffer.byteLength(`${lines.slice(0, Math.floor(lines.length / 2)).join('\n')}\n`) + 20;
  writeFileSync(path, whole.subarray(0, keep));
  return whole.subarray(keep);
}

describe('a scan through the cache prints what a scan without it prints', () => {
  const roots = [generatedSessions(), ...(hasFixtures ? [`${FIXTURES}/codex`, `${FIXTURES}/claude`] : [])];

  it.each(SESSION_DATASETS)('%s: filled, then warm, then --no-cache', (dataset) => {
    const home = cacheHome();
    const args = ['--dataset', dataset, ...roots];
    const expected = truth('seq-scan', args);
    expect(expected.status).toBe(0);
    same(scan(home, args), expected);
    same(scan(home, args), expected);
  });

  it('the datasets that need the same events share one entry per file; --no-cache makes none', () => {
    const home = cacheHome();
    scan(home, ['--dataset', 'usage', ...roots]);
    scan(home, ['--dataset', 'token_events', ...roots, '--no-cache']);
    expect(Object.keys(cachedFiles(home))).toEqual(['tokens', 'tables']);
    const none = cacheHome();
    scan(none, ['--dataset', 'usage', ...roots, '--no-cache']);
    expect(readdirSync(none)).toEqual([]);
  });
});

describe('files that change', () => {
  it('a file that grew is read on from where the last scan stopped, a cut last line included', () => {
    const { dir, codex, claude } = sampleFiles();
    const rest = [cutMidLine(codex), cutMidLine(claude)] as const;
    const home = cacheHome();
    for (const dataset of ['usage', 'messages']) {
      const args = ['--dataset', dataset, dir];
      same(scan(home, args), truth('seq-scan', args)); // the cut line is reported, once per scan
      expect(scan(home, args).stderr).toMatch(/skipped 2 malformed lines/);
    }
    appendFileSync(codex, rest[0]);
    appendFileSync(claude, rest[1]);
    for (const dataset of ['usage', 'messages']) {
      const args = ['--dataset', dataset, dir];
      const after = scan(home, args);
      same(after, truth('seq-scan', args));
      expect(after.stderr).toBe('');
    }
  });

  it('what was read before the point is not read again (a byte changed there goes unseen; the appended lines are read)', () => {
    const { dir, claude } = sampleFiles();
    const rest = cutMidLine(claude);
    const home = cacheHome();
    const args = ['--dataset', 'usage', dir];
    expect(scan(home, args).status).toBe(0);
    // An output token count in the middle of the part already read, same length, another value.
    const text = readFileSync(claude, 'utf8');
    const at = text.indexOf('"output_tokens":', Math.floor(text.length / 3)) + '"output_tokens":'.length;
    const changed = text.slice(0, at) + (text[at] === '9' ? '8' : '9') + text.slice(at + 1);
    writeFileSync(claude, changed);
    appendFileSync(claude, rest);
    const cached = scan(home, args);
    const fresh = truth('seq-scan', args);
    expect(cached.status).toBe(0);
    expect(cached.stdout).not.toBe(fresh.stdout);
    // Exactly what the file held before the change, with the appended lines.
    writeFileSync(claude, text);
    appendFileSync(claude, rest);
    expect(cached.stdout).toBe(truth('seq-scan', args).stdout);
  });

  it('a file rewritten (same size or shorter) or replaced is read whole again; a vanished one leaves the cache', () => {
    const { dir, codex, claude } = sampleFiles();
    const home = cacheHome();
    const args = ['--dataset', 'usage', dir];
    scan(home, args);
    expect(cachedFiles(home).tokens).toBe(2);
    const text = readFileSync(claude, 'utf8');
    writeFileSync(
      claude,
      text.replace(/"output_tokens":(\d)/, (_m, d: string) => `"output_tokens":${d === '9' ? '8' : '9'}`),
    );
    same(scan(home, args), truth('seq-scan', args));
    truncateSync(claude, Math.floor(statSync(claude).size / 2));
    same(scan(home, args), truth('seq-scan', args));
    rmSync(codex);
    copyFileSync(claude, codex); // another file under the same name
    same(scan(home, args), truth('seq-scan', args));
    rmSync(codex);
    same(scan(home, args), truth('seq-scan', args));
    expect(cachedFiles(home).tokens).toBe(1);
  });

  it('a scan of one file keeps the entries of the other roots', () => {
    const { dir, codex } = sampleFiles();
    const home = cacheHome();
    scan(home, ['--dataset', 'usage', dir]);
    scan(home, ['--dataset', 'usage', codex]);
    expect(cachedFiles(home).tokens).toBe(2);
  });
});

describe('the index follows the walk, so that it is read and written as a stream', () => {
  /**
   * A Codex home with a rollout in sessions/ and again in archived_sessions/, an archived one
   * alone, and Claude projects before and after it in walk order.
   */
  function tree(): { top: string; codexHome: string; paths: Record<string, string> } {
    const { codex, claude } = sampleFiles();
    const top = mkdtempSync(join(tmpdir(), 'seq-cache-tree-'));
    const codexHome = join(top, 'home', '.codex');
    const name = (n: number): string => `rollout-2026-11-0${n}T08-00-00-0b5e2d1c-1111-4a4a-9c9c-00000000000${n}.jsonl`;
    const paths = {
      early: join(top, 'home', '.claude', 'projects', 'a', 'one.jsonl'),
      session: join(codexHome, 'sessions', '2026', '11', '02', name(2)),
      archivedCopy: join(codexHome, 'archived_sessions', name(2)),
      archivedOnly: join(codexHome, 'archived_sessions', name(3)),
      middle: join(codexHome, 'sessions', '2026', '11', '04', name(4)),
      late: join(top, 'home', 'z-last', 'two.jsonl'),
    };
    for (const [key, path] of Object.entries(paths)) {
      execFileSync('mkdir', ['-p', join(path, '..')]);
      copyFileSync(key === 'early' || key === 'late' ? claude : codex, path);
    }
    return { top, codexHome, paths };
  }

  const indexText = (home: string, needs = 'tokens'): string => indexLines(folder(home, needs)).join('\n');
  const indexPaths = (home: string, needs = 'tokens'): string[] =>
    indexLines(folder(home, needs)).map((line) => JSON.parse(line.split('\t')[0] as string) as string);

  it('nested, overlapping and reversed roots: the figures of a scan without the cache, and a second scan changes nothing', () => {
    const { top, codexHome } = tree();
    const home = cacheHome();
    const rootSets = [
      [join(top, 'home')],
      [codexHome, join(codexHome, 'sessions')],
      [join(codexHome, 'sessions'), join(codexHome, 'archived_sessions'), join(top, 'home')],
      [join(top, 'home', 'z-last'), codexHome],
    ];
    for (const roots of rootSets) {
      const args = ['--dataset', 'usage', ...roots];
      same(scan(home, args), truth('seq-scan', args));
      const before = indexText(home);
      same(scan(home, args), truth('seq-scan', args));
      expect(indexText(home), roots.join(' ')).toBe(before);
    }
    // Every file read once is in the index, each once, in walk order ("/" before any other character).
    const paths = indexPaths(home);
    expect(paths).toHaveLength(new Set(paths).size);
    const byWalk = [...paths].sort((a, b) => (a.replaceAll('/', '\u0000') < b.replaceAll('/', '\u0000') ? -1 : 1));
    expect(paths).toEqual(byWalk);
    expect(
      readdirSync(folder(home)).filter((name) => !name.startsWith('seg-') && !['index.jsonl', 'index.news.jsonl', 'index.jsonl.lock'].includes(name)),
    ).toEqual([]);
  });

  it('files removed before, between and after those found leave the index; those of other roots and of a stopped scan stay', () => {
    const { top, codexHome, paths } = tree();
    for (let i = 0; i < 150; i++) copyFileSync(paths.late, join(paths.late, '..', `more-${i}.jsonl`));
    const home = cacheHome();
    const all = ['--dataset', 'usage', join(top, 'home')];
    scan(home, all);
    const other = sampleFiles();
    scan(home, ['--dataset', 'usage', other.dir]);
    const full = indexPaths(home);
    expect(full).toContain(paths.archivedOnly);
    expect(full).not.toContain(paths.archivedCopy); // the sessions/ copy is the one read
    // A stopped scan (a limit) drops nothing it did not reach: here it stops in the first Codex
    // file, past the archived rollouts' lines, which come at the end of the root (the files after
    // it give more rows than the scan reads ahead, so that it is stopped before the end).
    const early = run('seq-scan', ['--dataset', 'messages', '--no-cache', paths.early]).stdout.split('\n').filter(Boolean).length;
    scan(home, ['--dataset', 'messages', join(top, 'home')]);
    const fullMessages = indexPaths(home, 'messages');
    const stopped = sh(`seq query --dataset messages --limit ${early + 1} --format jsonl ${join(top, 'home')}`, { env: { XDG_CACHE_HOME: home } });
    expect(stopped.stdout.split('\n').filter(Boolean)).toHaveLength(early + 1);
    expect(JSON.parse(stopped.stdout.trim().split('\n').pop() as string).path).toBe(paths.session);
    expect(indexPaths(home, 'messages')).toEqual(fullMessages);
    expect(fullMessages).toContain(paths.archivedOnly);
    for (const key of ['early', 'archivedOnly', 'middle', 'late'] as const) rmSync(paths[key]);
    same(scan(home, all), truth('seq-scan', all));
    const left = indexPaths(home);
    expect(left.sort()).toEqual(full.filter((path) => ![paths.early, paths.archivedOnly, paths.middle, paths.late].includes(path)).sort());
    expect(left).toContain(other.codex);
    expect(left).toContain(paths.session);
    // A scan of a root inside one scanned before keeps the files outside it.
    scan(home, ['--dataset', 'usage', join(codexHome, 'sessions')]);
    expect(indexPaths(home).sort()).toEqual(left.sort());
  });
});

describe('what a scan asks of the files, with the cache', () => {
  it('--source, --limit and --strict print what they print without the cache', () => {
    const { dir, codex, claude } = sampleFiles();
    appendFileSync(claude, '{"type":"user","cut');
    appendFileSync(codex, '\n{"oops"\n');
    const home = cacheHome();
    scan(home, ['--dataset', 'usage', dir]);
    for (const args of [
      ['--dataset', 'usage', '--source', 'codex', dir],
      ['--dataset', 'usage', '--source', 'claude', dir],
      ['--dataset', 'messages', dir],
      ['--dataset', 'messages', '--source', 'codex', dir],
    ]) {
      same(scan(home, args), truth('seq-scan', args));
      same(scan(home, args), truth('seq-scan', args));
    }
    for (const args of [
      ['--dataset', 'usage', '--strict', dir],
      ['--dataset', 'messages', '--strict', dir],
    ]) {
      const r = scan(home, args);
      same(r, truth('seq-scan', args));
      expect(r.status).toBe(1);
    }
    const limited = (home?: string): Result =>
      home === undefined
        ? sh(`seq query --no-cache --dataset messages --limit 1 --format jsonl ${dir}`)
        : sh(`seq query --dataset messages --limit 1 --format jsonl ${dir}`, { env: { XDG_CACHE_HOME: home } });
    // Rows and status only: how far a scan stopped by a limit read past the row that reached it
    // (and so which bad lines it tells of) depends on when the stop arrives, cache or not.
    const [cached, uncached] = [limited(home), limited()];
    expect(cached.stdout).toBe(uncached.stdout);
    expect(cached.status).toBe(uncached.status);
  });

  it('a file rewritten with its old size and time put back (only its ctime says so) is read again', () => {
    const { dir, claude } = sampleFiles();
    const home = cacheHome();
    const args = ['--dataset', 'usage', dir];
    scan(home, args);
    const before = statSync(claude, { bigint: true });
    const text = readFileSync(claude, 'utf8');
    writeFileSync(
      claude,
      text.replace(/"output_tokens":(\d)/, (_m, d: string) => `"output_tokens":${d === '9' ? '8' : '9'}`),
    );
    const ns = before.mtimeNs;
    execFileSync('touch', ['-m', '-d', `@${ns / 1_000_000_000n}.${String(ns % 1_000_000_000n).padStart(9, '0')}`, claude]);
    expect(statSync(claude, { bigint: true }).mtimeNs).toBe(ns);
    same(scan(home, args), truth('seq-scan', args));
  });

  it('after one file grew, the entries of the others stay where they are (none is read again)', () => {
    const root = generatedSessions();
    const dir = mkdtempSync(join(tmpdir(), 'seq-cache-many-'));
    execFileSync('cp', ['-r', join(root, 'codex'), join(root, 'claude'), dir]);
    const home = cacheHome();
    const args = ['--dataset', 'usage', dir];
    scan(home, args);
    const index = (): Map<string, string> => new Map(indexLines(folder(home)).map((line) => [line.split('\t')[0] as string, line]));
    const first = index();
    const grown = [...first.keys()].sort()[Math.floor(first.size / 2)] as string;
    const path = JSON.parse(grown) as string;
    appendFileSync(path, readFileSync(path, 'utf8').split('\n').slice(-2).join('\n'));
    same(scan(home, args), truth('seq-scan', args));
    same(scan(home, args), truth('seq-scan', args));
    const after = index();
    for (const [key, line] of first) if (key !== grown) expect(after.get(key)).toBe(line);
    expect(after.get(grown)).not.toBe(first.get(grown));
  });
});

describe('a damaged cache is ignored and rebuilt, never trusted', () => {
  const damage: Record<string, (home: string) => void> = {
    'a segment cut short': (home) => {
      for (const name of segments(home)) truncateSync(join(folder(home), name), Math.floor(statSync(join(folder(home), name)).size / 2));
    },
    'a segment filled with garbage': (home) => {
      for (const name of segments(home)) {
        const path = join(folder(home), name);
        const bytes = readFileSync(path);
        for (let i = 0; i < bytes.length; i += 97) bytes[i] = (bytes[i] as number) ^ 0x5a;
        writeFileSync(path, bytes);
      }
    },
    'a segment removed': (home) => {
      for (const name of segments(home)) rmSync(join(folder(home), name));
    },
    'index lines changed': (home) => {
      const path = join(folder(home), 'index.jsonl');
      writeFileSync(path, readFileSync(path, 'utf8').replace(/,(\d)(\d)/g, ',$2$1'));
    },
    'an index of garbage': (home) => writeFileSync(join(folder(home), 'index.jsonl'), Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 256))),
    'an index from another version': (home) => {
      const path = join(folder(home), 'index.jsonl');
      writeFileSync(path, readFileSync(path, 'utf8').replace(/^\{"seq_cache":"[^"]*"/, '{"seq_cache":"0/0.0.1"'));
    },
  };

  it.each(Object.keys(damage))('%s', (name) => {
    const roots = [generatedSessions(), ...(hasFixtures ? [`${FIXTURES}/claude`] : [])];
    const args = ['--dataset', 'usage', ...roots];
    const home = cacheHome();
    scan(home, args);
    const files = cachedFiles(home).tokens;
    damage[name]?.(home);
    // Without the kept table, the scan reads through the damaged cache.
    rmSync(join(home, 'seq', `tables-${TABLE_FORMAT}`), { recursive: true });
    same(scan(home, args), truth('seq-scan', args));
    // Rebuilt: every file has a sound entry again, and the scan after uses them.
    expect(cachedFiles(home).tokens).toBe(files);
    same(scan(home, args), truth('seq-scan', args));
  });
});

describe('signals, concurrency and an unusable cache folder', () => {
  it('Ctrl-C during a scan exits 130 at once and leaves no entry and no segment behind', async () => {
    // Enough sessions (some 80 MB) that the scan is still going when the signal comes.
    const root = mkdtempSync(join(tmpdir(), 'seq-cache-big-'));
    execFileSync(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'examples/generate.ts'), '--out', root, '--sessions', '800'], { stdio: 'ignore' });
    const home = cacheHome();
    const messages = folder(home, 'messages');
    const child = spawn(join(BIN, 'seq-scan'), ['--dataset', 'messages', root], { env: env({ XDG_CACHE_HOME: home }), stdio: ['ignore', 'ignore', 'pipe'] });
    // The signal comes once the scan has written events to its segment.
    for (let i = 0; i < 500 && !(existsSync(messages) && readdirSync(messages).some((name) => name.startsWith('seg-'))); i++)
      await new Promise((resolve) => setTimeout(resolve, 10));
    const sent = Date.now();
    child.kill('SIGINT');
    const status = await new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    expect(status).toBe(130);
    expect(Date.now() - sent).toBeLessThan(1500);
    expect(readdirSync(messages).filter((name) => name.startsWith('seg-'))).toEqual([]);
    expect(readdirSync(messages)).not.toContain('index.jsonl');
    same(scan(home, ['--dataset', 'messages', root]), truth('seq-scan', ['--dataset', 'messages', root]));
  });

  it('scans at once share the cache and all print the same', async () => {
    const roots = [generatedSessions(), ...(hasFixtures ? [`${FIXTURES}/codex`, `${FIXTURES}/claude`] : [])];
    const args = ['--dataset', 'usage', ...roots];
    const expected = truth('seq-scan', args).stdout;
    const home = cacheHome();
    const once = (): Promise<string> => stdoutOf('seq-scan', args, { XDG_CACHE_HOME: home });
    const outputs = await Promise.all([once(), once(), once(), once()]);
    for (const out of outputs) expect(out).toBe(expected);
    expect(scan(home, args).stdout).toBe(expected);
    expect(segments(home).length).toBeGreaterThan(0);
  });

  it('a cache folder that cannot be made: said once, and the scan goes on without it', () => {
    const args = ['--dataset', 'usage', generatedSessions()];
    const r = run('seq-scan', args, { env: { XDG_CACHE_HOME: '/dev/null/cache' } });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(truth('seq-scan', args).stdout);
    expect(r.stderr).toMatch(/^seq-scan: the cache folder \/dev\/null\/cache\/seq\/events-\d+\/tokens cannot be made \(.*\); reading without the cache/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('seq cache', () => {
  it('info lists what is kept; clear removes it', () => {
    const home = cacheHome();
    expect(run('seq', ['cache', 'info'], { env: { XDG_CACHE_HOME: home } }).stdout).toMatch(/^the cache is empty/);
    scan(home, ['--dataset', 'usage', generatedSessions()]);
    scan(home, ['--dataset', 'tool_calls', generatedSessions()]);
    const info = run('seq', ['cache', 'info'], { env: { XDG_CACHE_HOME: home } });
    expect(info.stdout).toMatch(/^needs +files +mb +folder/);
    expect(info.stdout).toMatch(new RegExp(`\\ntokens +\\d+ +[\\d.]+ +\\S+events-${CACHE_FORMAT}/tokens`));
    expect(info.stdout).toMatch(/\ntool_calls +\d+/);
    const clear = run('seq', ['cache', 'clear'], { env: { XDG_CACHE_HOME: home } });
    expect(clear.status).toBe(0);
    expect(clear.stdout).toMatch(/^removed the cache \([\d.]+ MB\) from /);
    expect(readdirSync(home)).toEqual([]);
    expect(run('seq', ['cache', 'clear'], { env: { XDG_CACHE_HOME: home } }).stdout).toMatch(/^there is no cache/);
  });

  it("folders of older formats go once this seq has written its cache; a newer format's stay", () => {
    const home = cacheHome();
    const root = join(home, 'seq');
    const older = [`events-${CACHE_FORMAT - 1}`, 'events-1', `tables-${TABLE_FORMAT - 1}`];
    const newer = [`events-${CACHE_FORMAT + 1}`, `tables-${TABLE_FORMAT + 1}`, 'notes'];
    for (const name of [...older, ...newer]) {
      mkdirSync(join(root, name, 'tokens'), { recursive: true });
      writeFileSync(join(root, name, 'tokens', 'index.jsonl'), 'kept by another seq\n');
    }
    same(scan(home, ['--dataset', 'usage', generatedSessions()]), truth('seq-scan', ['--dataset', 'usage', generatedSessions()]));
    expect(readdirSync(root).sort()).toEqual([`events-${CACHE_FORMAT}`, `tables-${TABLE_FORMAT}`, ...newer].sort());
  });

  it('info passes over what is not a folder of the cache; a cache folder that is a file is said to be one', () => {
    const home = cacheHome();
    scan(home, ['--dataset', 'usage', generatedSessions()]);
    writeFileSync(join(home, 'seq', `events-${CACHE_FORMAT}`, '.DS_Store'), '');
    const info = run('seq', ['cache', 'info', '--format', 'json'], { env: { XDG_CACHE_HOME: home } });
    expect(info.status).toBe(0);
    expect((JSON.parse(info.stdout) as Array<{ needs: string }>).map((row) => row.needs)).toEqual(['tokens', 'tables']);
    const file = cacheHome();
    writeFileSync(join(file, 'seq'), 'not a folder');
    for (const action of ['info', 'clear']) {
      const r = run('seq', ['cache', action], { env: { XDG_CACHE_HOME: file } });
      expect(r.status).toBe(1);
      expect(r.stderr).toBe(`seq: the cache's folder ${join(file, 'seq')} is a file; seq keeps its cache there: move the file aside\n`);
    }
  });

  it('clear through a link empties the folder it links to, and keeps the link', () => {
    const home = cacheHome();
    const elsewhere = cacheHome();
    symlinkSync(elsewhere, join(home, 'seq'));
    scan(home, ['--dataset', 'usage', generatedSessions()]);
    expect(readdirSync(elsewhere).length).toBeGreaterThan(0);
    const clear = run('seq', ['cache', 'clear'], { env: { XDG_CACHE_HOME: home } });
    expect(clear.status).toBe(0);
    expect(clear.stdout).toMatch(/^removed the cache \([\d.]+ MB\) from /);
    expect(readdirSync(elsewhere)).toEqual([]);
    expect(lstatSync(join(home, 'seq')).isSymbolicLink()).toBe(true);
  });

  it('clear through a link to nothing: there is no cache there', () => {
    const home = cacheHome();
    symlinkSync(join(home, 'nowhere'), join(home, 'seq'));
    expect(run('seq', ['cache', 'clear'], { env: { XDG_CACHE_HOME: home } })).toEqual({
      status: 0,
      stdout: `there is no cache in ${join(home, 'seq')}\n`,
      stderr: '',
    });
  });

  it('a missing or unknown action is a usage error', () => {
    expect(run('seq', ['cache']).status).toBe(2);
    const r = run('seq', ['cache', 'purge']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown action "purge": info or clear; see seq cache --help/);
  });
});
