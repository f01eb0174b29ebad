/**
 * A paragraph of a command's notes is one line, which the help wraps, or lines wrapped by hand,
 * each within 80 columns: a hand-wrapped line past 80 is wrapped again with a word left alone.
 */
import { describe, expect, it } from 'vitest';
import type { Command } from '../../lib/base/command.js';
import { SEQ_RECORD } from '../../lib/commands/record/record.js';
import { SEQ } from '../../lib/commands/seq.js';
import { SEQ_FILTER } from '../../lib/commands/stages/filter.js';
import { SEQ_FORMAT } from '../../lib/commands/stages/format.js';
import { SEQ_GROUP } from '../../lib/commands/stages/group.js';
import { SEQ_SCAN } from '../../lib/commands/stages/scan.js';
import { Writable } from 'node:stream';
import { runCommand } from '../../lib/cli/command-line.js';
import { run } from '../helpers/cli.js';

function all(commands: readonly Command[]): Command[] {
  return commands.flatMap((command) => [command, ...all(command.subcommands ?? [])]);
}

describe('help texts', () => {
  const commands = all([SEQ, SEQ_SCAN, SEQ_FILTER, SEQ_GROUP, SEQ_FORMAT, SEQ_RECORD]);
  it('cover every command', () => {
    expect(commands.map((command) => command.name)).toContain('seq-record run');
    expect(commands.length).toBeGreaterThan(30);
  });
  it.each(commands.map((command) => [command.name, command] as const))('%s: its hand-wrapped notes fit 80 columns', (_name, command) => {
    const paragraphs = (command.text.epilogue ?? '').split('\n\n').map((paragraph) => paragraph.split('\n'));
    const long = paragraphs.filter((lines) => lines.length > 1).flatMap((lines) => lines.filter((line) => line.length > 80));
    expect(long).toEqual([]);
  });
  it.each([['seq'], ['seq-record']])('%s --help: a summary that wraps goes on under its own column', (command) => {
    const help = run(command, ['--help']).stdout;
    const list = help
      .slice(help.indexOf('\nCommands:\n') + 11)
      .trimEnd()
      .split('\n');
    const column = (list[0] ?? '').search(/(?<=^ {2}\S+ +)\S/);
    expect(column).toBeGreaterThan(4);
    for (const line of list) {
      expect(line.length).toBeLessThanOrEqual(80);
      expect(line.search(/\S/) === 2 ? line.search(/(?<=^ {2}\S+ +)\S/) : line.search(/\S/)).toBe(column);
    }
    // seq's list has summaries long enough to wrap, so the rule above is tried on continuations.
    if (command === 'seq') expect(list.filter((line) => line.search(/\S/) > 2).length).toBeGreaterThan(0);
  });
});

describe('how the help and the version are printed', () => {
  // Examples and notes are made only when the help is asked for: every way of asking has them.
  it.each([['--help'], ['-h'], ['--help=true'], ['-qh']])('seq-filter %s: the whole help, with its examples and notes', (flag) => {
    const r = run('seq-filter', [flag]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('\nExamples:\n');
    expect(r.stdout).toContain('Exit status: 0 done');
  });

  // Where stdout is not Node's own (a test's stream), the text goes to it, not to the descriptor.
  it("goes to a stdout put in place of Node's, each of two runs once", async () => {
    const original = Object.getOwnPropertyDescriptor(process, 'stdout') as PropertyDescriptor;
    let text = '';
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        text += chunk.toString();
        done();
      },
    });
    Object.defineProperty(process, 'stdout', { value: stream, configurable: true, enumerable: true });
    try {
      await runCommand(SEQ_FILTER, ['--version']);
      await runCommand(SEQ_FILTER, ['--version']);
      expect(stream.listenerCount('error')).toBe(2);
    } finally {
      Object.defineProperty(process, 'stdout', original);
    }
    expect(text).toMatch(/^(\d+\.\d+\.\d+\n){2}$/);
  });
});
