/**
 * seq watch: in a real terminal (script(1) gives it one), it draws on the alternate screen, reads
 * again as the logs grow, and q or Ctrl-C quit and leave the terminal as it was; without a
 * terminal it prints the screen once, as text.
 */
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { claudeHome, TIMES } from '../helpers/claude-times.js';
import { generatedSessions } from '../helpers/sessions.js';
import { BIN, env, run, tempFiles } from '../helpers/cli.js';

const hasScript = spawnSync('script', ['--version']).status === 0;
if (!hasScript) console.warn('script(1) is not installed: skipping seq watch in a terminal (it is in util-linux)');

/** seq watch in a terminal; each step's keys typed (or act done) once its text shows after the last step's. Resolves with all it wrote and its status. */
function inTerminal(
  args: string[],
  steps: Array<{ after: string; act: () => void } | { after: string; keys: string }>,
  extra: Record<string, string>,
): Promise<{ output: string; status: number | null }> {
  return new Promise((resolve, reject) => {
    const command = [join(BIN, 'seq'), 'watch', ...args].map((word) => `'${word}'`).join(' ');
    const child = spawn('script', ['-qfec', command, '/dev/null'], { env: env(extra) });
    let output = '';
    let step = 0;
    let from = 0;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`seq watch did not finish; it wrote: ${JSON.stringify(output)}`));
    }, 20_000);
    child.stdout.on('data', (data: Buffer) => {
      output += data.toString('utf8');
      const next = steps[step];
      const at = next === undefined ? -1 : output.indexOf(next.after, from);
      if (next === undefined || at < 0) return;
      step++;
      from = at + next.after.length;
      if ('keys' in next) child.stdin.write(next.keys);
      else next.act();
    });
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ output, status });
    });
  });
}

const NOW = '2026-10-01T12:00:00Z';

describe('seq watch', () => {
  it("without a terminal, prints today's usage and the running block once, as text", () => {
    const home = claudeHome(TIMES);
    const r = run('seq', ['watch', join(home, 'projects')], { env: { SEQ_NOW: NOW, TZ: 'UTC' } });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).not.toContain('\x1b');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('seq watch: every agent (every 5s; q quits)');
    expect(lines[2]).toMatch(/^Today +9,453 tokens +\$0\.02 +3 requests$/);
    expect(lines[3]).toMatch(/^Block 09:00 +9,453 tokens +\$0\.02 +2h 0m left, until 14:00$/);
    expect(lines[4]).toMatch(/^Burn rate +68 tokens a minute, \$0\.01 an hour$/);
    // --no-cost: no dollars anywhere.
    const none = run('seq', ['watch', '--no-cost', join(home, 'projects')], { env: { SEQ_NOW: NOW, TZ: 'UTC' } }).stdout.split('\n');
    expect(none.slice(2, 5)).toEqual([
      'Today               9,453 tokens  3 requests',
      'Block 09:00         9,453 tokens  2h 0m left, until 14:00',
      'Burn rate              68 tokens a minute',
    ]);
    expect(none.join('\n')).not.toContain('$');
  });

  it.skipIf(!hasScript)('in a terminal: the alternate screen, q quits and restores it', async () => {
    const home = claudeHome(TIMES);
    const { output, status } = await inTerminal(['--interval', '0.2', join(home, 'projects')], [{ after: 'Today', keys: 'q' }], { SEQ_NOW: NOW, TZ: 'UTC' });
    expect(status).toBe(0);
    expect(output.startsWith('\x1b[?1049h\x1b[?25l')).toBe(true);
    expect(output).toMatch(/Block 09:00 +9,453 tokens/);
    expect(output.endsWith('\x1b[?25h\x1b[?1049l')).toBe(true);
  });

  it.skipIf(!hasScript)('reads again as the log grows, and Ctrl-C quits as q does', async () => {
    const home = claudeHome(TIMES);
    const transcript = join(home, 'projects/p/s1.jsonl');
    const line = readFileSync(transcript, 'utf8').split('\n')[2] as string;
    const grown = line.replace('"requestId":"req_2"', '"requestId":"req_new"').replace('"id":"msg_2"', '"id":"msg_new"').replace('11:30:00', '11:45:00');
    const { output, status } = await inTerminal(
      ['--interval', '0.2', join(home, 'projects')],
      [
        { after: '3 requests', act: () => appendFileSync(transcript, `${grown}\n`) },
        { after: '4 requests', keys: '\x03' },
      ],
      { SEQ_NOW: NOW, TZ: 'UTC' },
    );
    expect(status).toBe(0);
    expect(output).toContain('4 requests');
    expect(output.endsWith('\x1b[?25h\x1b[?1049l')).toBe(true);
  });

  it.skipIf(!hasScript)('fits its screen to the terminal: lines cut to its columns, no more lines than its rows', async () => {
    const home = claudeHome(TIMES);
    const command = `stty cols 40 rows 4; exec '${join(BIN, 'seq')}' watch '${join(home, 'projects')}'`;
    const child = spawn('script', ['-qfec', command, '/dev/null'], { env: env({ SEQ_NOW: NOW, TZ: 'UTC' }) });
    let output = '';
    let typed = false;
    child.stdin.on('error', () => undefined); // gone already: there is nothing to type into
    child.stdout.on('data', (data: Buffer) => {
      output += data.toString('utf8');
      if (typed || !output.includes('Block')) return;
      typed = true;
      child.stdin.write('q');
    });
    await new Promise((resolve) => child.on('close', resolve));
    const drawn = output.slice(output.indexOf('\x1b[H\x1b[2J') + 7, output.lastIndexOf('\x1b[?25h'));
    expect(drawn.split('\r\n')).toEqual([
      'seq watch: every agent (every 5s; q qui…',
      '',
      'Today               9,453 tokens      $…',
      'Block 09:00         9,453 tokens      $…',
    ]);
  });

  it.skipIf(!hasScript)('a closed terminal ends it as SIGHUP ends any program, with nothing from Node on stderr', async () => {
    const home = claudeHome(TIMES);
    const err = join(tempFiles({}), 'stderr');
    const pidFile = `${err}.pid`;
    const command = `echo $$ > '${pidFile}'; exec '${join(BIN, 'seq')}' watch '${join(home, 'projects')}' 2>'${err}'`;
    const child = spawn('script', ['-qfec', command, '/dev/null'], { env: env({ SEQ_NOW: NOW, TZ: 'UTC' }) });
    let output = '';
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (data: Buffer) => {
        output += data.toString('utf8');
        if (output.includes('Burn rate')) resolve();
      });
    });
    // Killed at once, script(1) leaves the terminal closed under seq watch.
    child.kill('SIGKILL');
    const pid = Number(readFileSync(pidFile, 'utf8'));
    const alive = (): boolean => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    for (let i = 0; i < 200 && alive(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(alive()).toBe(false);
    expect(readFileSync(err, 'utf8')).toBe('');
  });

  it('printed once, names a log it could not read on stderr and exits 1', () => {
    const r = run('seq', ['watch', '--once', '/nonexistent/logs']);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('(some logs could not be read)');
    expect(r.stderr).toBe('seq: cannot read /nonexistent/logs: no such file or folder\n');
  });

  it("counts today's requests of every agent, and the block of Claude Code's, as seq blocks makes it", () => {
    const env = { SEQ_NOW: '2026-11-04T13:30:00Z', TZ: 'UTC' };
    const lines = run('seq', ['watch', generatedSessions()], { env }).stdout.split('\n');
    const [block] = JSON.parse(run('seq', ['blocks', '--active', '--json', generatedSessions()], { env }).stdout) as Array<{
      total: number;
      block_start: string;
    }>;
    expect(lines[2]).toMatch(/^Today +375,126 tokens/);
    expect(lines[3]).toMatch(new RegExp(`^Block ${block?.block_start.slice(11, 16)} +${block?.total.toLocaleString('en-US')} tokens`));
    const codex = run('seq', ['watch', '--source', 'codex', generatedSessions()], { env }).stdout.split('\n');
    expect(codex[3]).not.toBe(lines[3]);
  });

  it('a TZ that names no zone is a usage error before anything is drawn, not a screen of zeros', () => {
    const r = run('seq', ['watch', '--once', '/nonexistent/logs'], { env: { TZ: 'Europe/Pariss' } });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('TZ="Europe/Pariss" names none that seq knows; set TZ to an IANA name such as Europe/Paris');
  });

  it('--interval must be seconds a timer can hold', () => {
    for (const given of ['soon', '0.05', '3000000']) {
      const r = run('seq', ['watch', '--interval', given]);
      expect(r.status, given).toBe(2);
      expect(r.stderr).toContain(`--interval: expected seconds (0.1 to 2147483), got "${given}"`);
    }
  });
});
