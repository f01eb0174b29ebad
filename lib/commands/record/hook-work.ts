/** What `seq-record hook` runs: its declaration (hook.ts) loads this when it runs. */
import { runHook } from '../../reports/session-end-hook.js';
import { counted } from '../../base/plural.js';
import { type RECORD_FLAGS, sayer } from './shared.js';
import type { Values } from '../../base/command.js';
import type { Program } from '../../base/program.js';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function runRecordHook(values: Values<typeof RECORD_FLAGS>, _operands: string[], program: Program): Promise<number | undefined> {
  const say = sayer(values.quiet, program);
  const { path: kept, usage, used, problems } = await runHook(await readStdin(), values.store, program.warn);
  for (const line of problems.summary()) program.warn(line);
  if (kept === undefined && used.requests === 0) say('the transcript holds no token usage of the session; nothing kept');
  else if (kept === undefined) say('nothing new in the session since the last run took its tokens; nothing kept');
  else
    say(
      `kept the session's token usage (${counted(usage.requests, 'request')}, ${usage.input_tokens + usage.output_tokens} input + output tokens) in ${kept} for the next run`,
    );
  return 0;
}
