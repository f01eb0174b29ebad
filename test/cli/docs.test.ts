/**
 * The documentation runs. In README.md, BENCHMARKS.md and docs/*.md, every fenced block tagged
 * `console` is a list of commands and what they print:
 *
 *   ```console
 *   $ seq query --dataset usage --by model --limit 2
 *   model  count
 *   ...
 *   ```
 *
 * A line starting with `$ ` is a command (a line ending in `\` goes on to the next); the lines
 * after it, up to the next command or the end of the block, are its stdout, byte for byte. Each
 * command runs in bash (with pipefail) and must exit 0 with nothing on stderr: an example of an
 * error shows it with `2>&1` and `echo "exit $?"`. The commands of one file run in order, each in
 * its own bash (files carry over to the next command, variables do not), in one working folder,
 * `~/project`, which holds the generated example sessions (examples/generate.ts, as `make demo`
 * writes them) in `examples/sessions/` and a link to the repository's `specs/`.
 * HOME is a fresh folder with no agent logs in it, the cache is `~/.cache`, TZ is UTC and bin/ is
 * first on PATH. The one change made to what a command prints: the HOME folder's path is written
 * `~`, so that stores and caches have the paths a reader would see.
 *
 * A file whose commands use `$CLICKHOUSE_URL` gets a ClickHouse server of its own there (ClickHouse's
 * engine behind its HTTP interface, test/helpers/clickhouse-shim.ts), written
 * `http://localhost:8123` in what commands print; without chdb they skip, except under CI.
 *
 * A command that calls `jq` is skipped where jq is not installed, except under CI, which installs
 * it (.ci/run). Every command example is a console block: a fence tagged `sh`, `bash`, `shell` or
 * nothing, and an indented code block, are refused. A block tagged `text` is not run: it is for
 * the few commands that cannot run here (a user's own logs, a clone's `make`, `npm link`, a git
 * repository), and the prose around it says so. Other tags (`json`) hold data, not commands.
 *
 * When an output changes on purpose, rewrite the docs from the commands and read the diff:
 *   SEQ_UPDATE_DOCS=1 npx vitest run test/cli/docs.test.ts
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../helpers/cli.js';
import { generatedSessions } from '../helpers/sessions.js';
import { requireChdb } from '../helpers/chdb.js';
import { startShim, type TestServer } from '../helpers/clickhouse-server.js';

const UPDATE = process.env.SEQ_UPDATE_DOCS === '1';

/** One command of a console block: where it is, and the lines of its expected output. */
interface Example {
  line: number; // 1-based line of its `$ ` in the file
  command: string;
  outputStart: number; // 0-based index of its first output line
  outputEnd: number; // 0-based index after its last output line
  expected: string;
}

/** The commands of every console block of a Markdown text. */
function examples(text: string, file: string): Example[] {
  const lines = text.split('\n');
  const found: Example[] = [];
  let fence: string | undefined; // the tag of the open fence, '' for none
  let current: Example | undefined;
  const close = (end: number): void => {
    if (current === undefined) return;
    current.outputEnd = end;
    const output = lines.slice(current.outputStart, end);
    current.expected = output.length === 0 ? '' : `${output.join('\n')}\n`;
    found.push(current);
    current = undefined;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (fence === undefined) {
      const open = /^```(\S*)/.exec(line); // the tag is the first word: ```text floors
      if (open) fence = open[1] as string;
      continue;
    }
    if (/^```\s*$/.test(line)) {
      if (fence === 'console') close(i);
      fence = undefined;
      continue;
    }
    if (fence !== 'console') continue;
    if (line.startsWith('$ ')) {
      close(i);
      const start = i + 1;
      let command = line.slice(2);
      while (command.endsWith('\\') && i + 1 < lines.length) command = `${command}\n${lines[++i] as string}`;
      current = { line: start, command, outputStart: i + 1, outputEnd: i + 1, expected: '' };
    } else if (current === undefined) {
      throw new Error(`${file}:${i + 1}: a console block must start with a command ("$ ...")`);
    }
  }
  if (fence !== undefined) throw new Error(`${file}: a fence is not closed`);
  return found;
}

/** Fence tags of shell commands that would not run: such a block must be `console` or `text`. */
const SHELL_TAGS = new Set(['', 'sh', 'bash', 'shell', 'zsh', 'sh-session', 'shell-session']);

/** Where a Markdown text shows commands outside console blocks: shell fences and indented code. */
function unchecked(text: string, file: string): string[] {
  const lines = text.split('\n');
  const found: string[] = [];
  let fence: string | undefined;
  let inList = false; // an indented line after a blank line continues a list item, not a code block
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (fence === undefined) {
      const open = /^```(\S*)/.exec(line);
      if (open) {
        fence = open[1] as string;
        if (SHELL_TAGS.has(fence)) found.push(`${file}:${i + 1}: a fence tagged "${fence}": make it console (it runs) or text (it cannot)`);
        continue;
      }
      if (/^\s*([-*+]|\d+\.)\s/.test(line)) inList = true;
      else if (/^\S/.test(line)) inList = false;
      if (/^( {4}|\t)\s*\S/.test(line) && (lines[i - 1] ?? '').trim() === '' && !inList)
        found.push(`${file}:${i + 1}: an indented code block: make it a console block (it runs) or a text block (it cannot)`);
      continue;
    }
    if (/^```\s*$/.test(line)) fence = undefined;
  }
  return found;
}

const hasJq = spawnSync('jq', ['--version']).status === 0;
if (!hasJq && !process.env.CI) console.warn('jq is not installed: skipping the docs commands that call it (install jq to run them)');

/** A command that calls jq: `jq` as a word where a command starts. */
const callsJq = (command: string): boolean => /(^|[|;&(]\s*)jq\s/.test(command);

const FILES = [
  'README.md',
  'BENCHMARKS.md',
  ...readdirSync(join(ROOT, 'docs'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`),
].filter((f) => {
  try {
    readFileSync(join(ROOT, f));
    return true;
  } catch {
    return false;
  }
});

/** The environment of a reader trying the docs on a fresh machine. */
function environment(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(SEQ_|XDG_|CODEX_|CLAUDE_|GEMINI_|QWEN_|COPILOT_|OPENCODE_|AMP_)/.test(key) || ['NO_COLOR', 'FORCE_COLOR', 'COLUMNS'].includes(key)) continue;
    env[key] = value;
  }
  return { ...env, HOME: home, XDG_CACHE_HOME: join(home, '.cache'), TZ: 'UTC', PATH: `${BIN}:${process.env.PATH ?? ''}` };
}

/** A fresh HOME with the project folder the commands run in. */
function workingFolder(): { home: string; cwd: string } {
  const home = join(mkdtempSync(join(tmpdir(), 'seq-docs-')), 'home');
  const cwd = join(home, 'project');
  mkdirSync(join(cwd, 'examples'), { recursive: true });
  cpSync(generatedSessions(), join(cwd, 'examples/sessions'), { recursive: true });
  symlinkSync(join(ROOT, 'specs'), join(cwd, 'specs'));
  return { home, cwd };
}

describe('README.md starts with the two commands a new user runs', () => {
  it('make demo, make test', () => {
    const head = readFileSync(join(ROOT, 'README.md'), 'utf8').split('\n').slice(0, 8).join('\n');
    expect(head).toContain('make demo');
    expect(head).toContain('make test');
  });
});

describe('docs/datasets.md shows the fields of every dataset', () => {
  it('has a `seq dataset-schema --dataset NAME` example for each name `seq datasets` lists', () => {
    const listed = spawnSync(join(BIN, 'seq'), ['datasets', '--format', 'json'], { encoding: 'utf8' });
    const names = (JSON.parse(listed.stdout) as Array<{ name: string }>).map((d) => d.name);
    const file = 'docs/datasets.md';
    const shown = examples(readFileSync(join(ROOT, file), 'utf8'), file).map((e) => e.command);
    for (const name of names) expect(shown, name).toContain(`seq dataset-schema --dataset ${name}`);
  });
});

describe('every command example is in a console block', () => {
  it.each(FILES)('%s', (file) => {
    expect(unchecked(readFileSync(join(ROOT, file), 'utf8'), file)).toEqual([]);
  });
});

/** The address a doc's commands show for the server they are given. */
const SHOWN_SERVER = 'http://localhost:8123';

for (const file of FILES) {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const found = examples(text, file);
  if (found.length === 0) continue;
  const team = text.includes('$CLICKHOUSE_URL');
  const skipTeam = team && !requireChdb();
  describe(file, () => {
    let folder: { home: string; cwd: string };
    let server: TestServer | undefined;
    const actual = new Map<Example, string>();
    beforeAll(async () => {
      folder = workingFolder();
      if (team && !skipTeam) server = await startShim();
    });
    afterAll(() => {
      server?.stop();
      if (!UPDATE || actual.size === 0) return;
      const lines = text.split('\n');
      for (const example of [...found].reverse()) {
        const stdout = actual.get(example);
        if (stdout === undefined) continue;
        lines.splice(example.outputStart, example.outputEnd - example.outputStart, ...(stdout === '' ? [] : stdout.replace(/\n$/, '').split('\n')));
      }
      writeFileSync(join(ROOT, file), lines.join('\n'));
    });
    for (const example of found) {
      // Under CI a missing jq fails the command rather than skipping it: CI must run these.
      it.skipIf((callsJq(example.command) && !hasJq && !process.env.CI) || skipTeam)(`${file}:${example.line} $ ${example.command}`, () => {
        const r = spawnSync('bash', ['-o', 'pipefail', '-c', example.command], {
          cwd: folder.cwd,
          env: { ...environment(folder.home), ...(server === undefined ? {} : { CLICKHOUSE_URL: server.url }) },
          input: '',
          encoding: 'utf8',
          maxBuffer: 64 * 1024 * 1024,
          timeout: 30_000,
        });
        const where = `${file}:${example.line}: $ ${example.command}`;
        if (r.error) throw new Error(`${where}: ${r.error.message}`);
        expect(r.stderr, `${where}: wrote on stderr`).toBe('');
        expect(r.status, `${where}: exit status`).toBe(0);
        let stdout = r.stdout.replaceAll(folder.home, '~');
        if (server !== undefined) stdout = stdout.replaceAll(server.url, SHOWN_SERVER);
        expect(stdout === '' || stdout.endsWith('\n'), `${where}: the output must end with a new line`).toBe(true);
        if (UPDATE) actual.set(example, stdout);
        else expect(stdout, `${where}: prints something else than the docs say`).toBe(example.expected);
      });
    }
  });
}
