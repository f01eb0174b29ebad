/**
 * The words of a command line made plain before yargs reads them, as getopt reads them: a short
 * option's value may be joined to it (`-fcsv`, `-qn5`: -q, then -n 5); a flag that takes a value
 * and is the last word is a usage error of its own; `--no-NAME` of a flag that takes a value is
 * its declared `negated` value (`--no-color`: `--color never`) or an error.
 */
import type { Command, Flag } from '../base/command.js';
import { UsageError } from '../base/errors.js';

/** Every command a line may name: the command, its subcommands, theirs. */
function family(command: Command): Command[] {
  return [command, ...(command.subcommands ?? []).flatMap(family)];
}

/**
 * The flags of every command of the family by their names, and by their one-letter aliases (a
 * name or letter that takes a value in one of them is read as taking one).
 */
function flagsOf(command: Command): { long: Map<string, Flag>; short: Map<string, [string, Flag]> } {
  const long = new Map<string, Flag>();
  const short = new Map<string, [string, Flag]>();
  for (const member of family(command)) {
    for (const [name, flag] of Object.entries(member.flags)) {
      if (long.get(name)?.type !== 'string' && long.get(name)?.type !== 'strings') long.set(name, flag);
      if (flag.alias !== undefined && (short.get(flag.alias)?.[1].type ?? 'boolean') === 'boolean') short.set(flag.alias, [name, flag]);
    }
  }
  return { long, short };
}

/** A line's words, and where its first operand is among them (-1: none). */
export interface OptionWords {
  words: string[];
  firstOperand: number;
}

/**
 * The line's words with short options' joined values apart, checked for flags without their
 * values, and the first word that is neither an option nor an option's value: as the flags of
 * every command of the family declare them, so options may come before a subcommand's word. A
 * command with subcommands leaves its errors to the subcommand the line names, whose help they
 * point to.
 */
export function optionWords(command: Command, argv: string[]): OptionWords {
  const { long, short } = flagsOf(command);
  const checks = command.subcommands === undefined;
  const missingValue = (name: string): UsageError => new UsageError(`--${name} needs a value`, undefined, command.name);
  const out: string[] = [];
  let firstOperand = -1;
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] as string;
    if (word === '--') {
      if (firstOperand < 0 && i + 1 < argv.length) firstOperand = out.length + 1;
      out.push(...argv.slice(i));
      break;
    }
    if (word.startsWith('--')) {
      const eq = word.indexOf('=');
      const name = word.slice(2, eq < 0 ? undefined : eq);
      const flag = long.get(name);
      if (flag === undefined && name.startsWith('no-') && eq < 0) {
        const negated = long.get(name.slice(3));
        if (checks && negated !== undefined && negated.type !== 'boolean') {
          if (negated.negated === undefined)
            throw new UsageError(`--${name}: --${name.slice(3)} takes a value, and has no --no- form`, undefined, command.name);
          out.push(`--${name.slice(3)}=${negated.negated}`);
          continue;
        }
      }
      if (flag !== undefined && flag.type !== 'boolean' && eq < 0) {
        if (i + 1 >= argv.length) {
          if (checks) throw missingValue(name);
          out.push(word);
          break;
        }
        // Joined, so that yargs takes the next word as the value whatever it is (`--output -`, `--sort -tokens`).
        out.push(`${word}=${argv[++i] as string}`);
        continue;
      }
      out.push(word);
      continue;
    }
    if (!/^-[A-Za-z]/.test(word)) {
      if (firstOperand < 0 && (!word.startsWith('-') || word === '-')) firstOperand = out.length;
      out.push(word);
      continue;
    }
    // A group of short options: switches, then at most one that takes a value, the rest of the word or the next word.
    let j = 1;
    for (; j < word.length; j++) {
      const found = short.get(word[j] as string);
      if (found === undefined || found[1].type !== 'boolean') break;
    }
    const found = j < word.length ? short.get(word[j] as string) : undefined;
    if (found === undefined || word[j + 1] === '=') {
      out.push(word); // as yargs reads it (`-s=a,c`), or a letter it will name as unknown
      continue;
    }
    out.push(word.slice(0, j + 1));
    if (j + 1 < word.length) out.push(word.slice(j + 1));
    else if (i + 1 >= argv.length) {
      if (checks) throw missingValue(found[0]);
    } else out.push(argv[++i] as string);
  }
  return { words: out, firstOperand };
}
