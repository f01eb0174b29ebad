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
