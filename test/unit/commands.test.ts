/** The command declarations: what the parsers, the help and --explain are derived from. */
import { describe, expect, it } from 'vitest';
import { flagValues, flagWords, type Command } from '../../lib/base/command.js';
import { parseCommandLine } from '../../lib/cli/command-line.js';
import { COMMANDS, SEQ } from '../../lib/commands/seq.js';
import { SEQ_FILTER } from '../../lib/commands/stages/filter.js';
import { SEQ_FORMAT } from '../../lib/commands/stages/format.js';
import { SEQ_GROUP } from '../../lib/commands/stages/group.js';
import { SEQ_SCAN } from '../../lib/commands/stages/scan.js';
import { SEQ_RECORD } from '../../lib/commands/record/record.js';
import { SPEC_KEYS } from '../../lib/spec/types.js';
import { AGENTS_ABOUT } from '../../lib/sources/agents.js';
import { AGENTS } from '../../lib/sources/registry.js';

/** A command and every command under it. */
const family = (command: Command): Command[] => [command, ...(command.subcommands ?? []).flatMap(family)];
const ALL: Command[] = [...family(SEQ), SEQ_SCAN, SEQ_FILTER, SEQ_GROUP, SEQ_FORMAT, ...family(SEQ_RECORD)];

describe('every command declaration', () => {
  it.each(ALL.map((c) => [c.name, c] as const))('%s: every flag has help, no short name twice, none taken by --help', (_name, command) => {
    const aliases = Object.values(command.flags).flatMap((flag) => (flag.alias === undefined ? [] : [flag.alias]));
    expect(new Set(aliases).size).toBe(aliases.length);
    expect(aliases).not.toContain('h');
    for (const [name, flag] of Object.entries(command.flags)) {
      expect(flag.help.length, name).toBeGreaterThan(10);
      expect(name).toMatch(/^[a-z][a-z-]*$/);
    }
    expect(command.text.examples.length).toBeGreaterThan(0);
    if (command !== SEQ && command !== SEQ_RECORD && command.name.includes(' '))
      expect(command.summary, 'a subcommand has a summary for its list').toBeDefined();
  });

  it('the four stages read every spec key, each key by one stage', () => {
    const keys = [SEQ_SCAN, SEQ_FILTER, SEQ_GROUP, SEQ_FORMAT].flatMap((c) => c.specKeys ?? []);
    expect([...keys].sort()).toEqual([...SPEC_KEYS].sort());
  });

  it('seq query takes every flag of every stage, with the same declaration', () => {
    const query = COMMANDS.find((c) => c.name === 'seq query') as Command;
    for (const stage of [SEQ_SCAN, SEQ_FILTER, SEQ_GROUP, SEQ_FORMAT]) {
      for (const [name, flag] of Object.entries(stage.flags)) expect(query.flags[name], `${stage.name} --${name}`).toEqual(flag);
    }
  });
});

describe('values from a command line', () => {
  it('parses by the declaration: last value wins, repeatable lists, negated booleans, values that begin with "-"', async () => {
    const line = await parseCommandLine(SEQ_FORMAT, [
      '--sort',
      '-count',
      '--sort',
      'day',
      '-n',
      '-1',
      '--format',
      'csv',
      '--format',
      'json',
      'a.jsonl',
      '--strict',
    ]);
    expect(line).toEqual({ values: { sort: ['-count', 'day'], limit: '-1', format: 'json', strict: true }, operands: ['a.jsonl'] });
    const scan = await parseCommandLine(SEQ_SCAN, ['--no-cache', '-d', 'usage', '--root', 'x', '--root', 'y', '2026']);
    expect(scan).toEqual({ values: { cache: false, dataset: 'usage', root: ['x', 'y'] }, operands: ['2026'] });
  });

  it('refuses an option the command does not declare, by the name typed', () => {
    expect(() => flagValues(SEQ_FILTER.flags, { bogus: true })).toThrow('unknown option --bogus');
    expect(() => flagValues(SEQ_FILTER.flags, { x: true, y: 1 })).toThrow('unknown options -x, -y');
  });

  it('takes a switch as true or false, and refuses any other value, which the parser would read as false', async () => {
    expect((await parseCommandLine(SEQ_FILTER, ['--strict=true']))?.values).toEqual({ strict: true });
    expect((await parseCommandLine(SEQ_FILTER, ['--strict=false']))?.values).toEqual({ strict: false });
    await expect(parseCommandLine(SEQ_FILTER, ['--strict=maybe'])).rejects.toThrow('--strict: "maybe" is neither true nor false');
    // After --, it is a path.
    expect((await parseCommandLine(SEQ_FILTER, ['--', '--strict=maybe']))?.operands).toEqual(['--strict=maybe']);
  });

  it('flagWords is the inverse of parsing, so --explain passes each stage exactly its values', async () => {
    const values = { spec: '@s.json', strict: true, dataset: 'usage', param: ['a=1', 'b=2'], cache: false, since: '2026-01-01', roles: ['user'] };
    const words = flagWords(SEQ_SCAN.flags, values);
    expect(words).toEqual([
      '--spec',
      '@s.json',
      '--strict',
      '--dataset',
      'usage',
      '--param',
      'a=1',
      '--param',
      'b=2',
      '--no-cache',
      '--roles',
      'user',
      '--since',
      '2026-01-01',
    ]);
    expect((await parseCommandLine(SEQ_SCAN, words))?.values).toEqual(values);
  });
});

describe('the agents the declarations name', () => {
  // The flags and help read agents.ts, the scan reads registry.ts: one list of agents, in one order.
  it('are the agents the scan reads, in the same order, with the same names, titles and places', () => {
    expect(AGENTS_ABOUT.map(({ name, title, places }) => ({ name, title, places }))).toEqual(
      AGENTS.map(({ name, title, places }) => ({ name, title, places })),
    );
  });
});
