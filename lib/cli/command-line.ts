/**
 * A command's line parsed by yargs from the command's declaration: its flags become yargs
 * options, its text the help, and yargs prints --help and --version itself.
 */
import yargs, { type Argv } from 'yargs';
import pkg from '../../package.json' with { type: 'json' };
import { flagValues, type Command, type CommandText, type Flags, type Values } from '../base/command.js';
import { UsageError } from '../base/errors.js';
import { runProgram } from '../base/program.js';

export const VERSION: string = pkg.version;

/** Examples and notes are laid out here rather than by yargs, whose two columns cut commands. */
function epilogue(text: CommandText): string {
  const examples = text.examples.map(([command, meaning]) => `  ${command}\n      ${meaning}`).join('\n');
  return `Examples:\n${examples}${text.epilogue ? `\n\n${text.epilogue}` : ''}`;
}

function specKeys(command: Command): string {
  const keys = command.specKeys;
  return keys === undefined ? '' : `\n\nThe spec keys it reads: ${keys.join(', ')}; its flags override them.`;
}

function parser<F extends Flags>(command: Command<F>): Argv {
  const width = process.stdout.isTTY ? Math.min(100, process.stdout.columns || 80) : 80;
  let argv = yargs()
    .scriptName(command.name)
    .usage(`Usage: ${command.text.usage}\n\n${command.text.description}${specKeys(command)}`)
    .wrap(width)
    .parserConfiguration({
      'camel-case-expansion': false,
      'duplicate-arguments-array': true,
      'strip-aliased': true,
      'parse-positional-numbers': false,
      // Only flags declared with dashValue take one word whatever it looks like (`--sort -count`).
      'nargs-eats-options': true,
    });
  for (const [name, flag] of Object.entries(command.flags)) {
    argv = argv.option(name, {
      type: flag.type === 'boolean' ? 'boolean' : 'string',
      description: flag.help,
      ...(flag.alias === undefined ? {} : { alias: flag.alias }),
      ...(flag.dashValue === true ? { nargs: 1 } : {}),
    });
  }
  return argv
    .help('help', 'Show this help and exit')
    .alias('help', 'h')
    .version('version', 'Show the version and exit', VERSION)
    .epilogue(epilogue(command.text));
}

export interface CommandLine<F extends Flags> {
  values: Values<F>;
  operands: string[];
}

/** The flags and operands of `argv`; undefined when yargs printed the help or the version. */
export async function parseCommandLine<F extends Flags>(command: Command<F>, argv: string[]): Promise<CommandLine<F> | undefined> {
  const { error, parsed, output } = await new Promise<{ error: Error | undefined; parsed: Record<string, unknown>; output: string }>((resolve) => {
    void parser(command).parse(argv, {}, (error: Error | undefined, parsed: Record<string, unknown>, output: string) => resolve({ error, parsed, output }));
  });
  if (error) throw new UsageError(error.message);
  if (output !== '') {
    process.stdout.write(`${output}\n`);
    return undefined;
  }
  const { help: _help, version: _version, ...given } = parsed;
  const values = flagValues(command.flags, given);
  const operands = (parsed._ as Array<string | number>).map(String);
  const max = command.maxOperands;
  if (max !== undefined && operands.length > max) throw new UsageError(`unexpected argument "${operands[max]}"`);
  return { values, operands };
}

/** An executable: its line parsed by its declaration, then its work, under the shared error handling. */
export function runCommand<F extends Flags>(command: Command<F>, argv: string[]): Promise<void> {
  return runProgram(command.name, async (program) => {
    const line = await parseCommandLine(command, argv);
    if (line === undefined) return;
    return command.run(line.values, line.operands, program);
  });
}

/** The exit statuses of the stages and `seq query`, for their help. */
export const STAGE_EXIT_STATUS = 'Exit status: 0 done; 1 an input could not be read, or --strict met a bad line;\n2 a usage or spec error.';
