/**
 * `seq-record hook`: Claude Code's SessionEnd hook. From the hook's JSON on stdin (session_id,
 * transcript_path, cwd) it sums the session's token usage, read from the transcript and its
 * subagents' files by the usage dataset (one usage per message.id and requestId, the largest;
 * <synthetic> skipped), and keeps it as a pending file beside the run store.
 */
import { CATALOG } from '../datasets/registry.js';
import { existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { InputError, SpecError, errorReason } from '../base/errors.js';
import { isJsonObject, type JsonValue } from '../jsonl/json.js';
import { InputProblems } from '../jsonl/problems.js';
import { scanBranches } from './engine.js';
import { sessionFiles } from '../sources/claude/session-files.js';
import { readSpec } from '../spec/validate.js';
import { keepPending, SESSION_ID, type PendingUsage } from '../runs/pending.js';
import { storePath, withStoreLock } from '../runs/store.js';
import { makeFolder } from '../storage/folders.js';
import { scanSpecOf } from '../spec/from-flags.js';

export interface HookInput {
  sessionId: string;
  transcript: string;
  cwd: string;
}

export function readHookInput(text: string): HookInput {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new SpecError('stdin', 'expected the hook\'s JSON ({"session_id", "transcript_path", "cwd"}), as Claude Code sends it');
  }
  if (!isJsonObject(value)) throw new SpecError('stdin', "expected the hook's JSON object");
  const sessionId = value.session_id;
  if (typeof sessionId !== 'string' || !SESSION_ID.test(sessionId))
    throw new SpecError('stdin.session_id', `expected a session id, got ${JSON.stringify(sessionId ?? null)}`);
  const transcript = value.transcript_path;
  if (typeof transcript !== 'string' || transcript === '') throw new SpecError('stdin.transcript_path', 'expected the path of the session transcript');
  const cwd = typeof value.cwd === 'string' && value.cwd !== '' ? value.cwd : process.cwd();
  return { sessionId, transcript, cwd };
}

export async function sessionUsage(input: HookInput, warn: (message: string) => void): Promise<{ usage: PendingUsage; problems: InputProblems }> {
  const found = statSync(input.transcript, { throwIfNoEntry: false });
  if (found === undefined) throw new InputError(`the transcript ${input.transcript} is not there; nothing was kept`);
  if (found.isDirectory()) throw new InputError(`the transcript ${input.transcript} is a folder, not a session's transcript; nothing was kept`);
  const problems = new InputProblems(false, warn);
  const spec: Record<string, JsonValue> = { dataset: 'usage', source: 'claude', where: [{ field: 'session_id', op: 'eq', value: input.sessionId }] };
  const parsed = readSpec(spec, CATALOG);
  const [rows = []] = await scanBranches(
    scanSpecOf(parsed, {}, sessionFiles(input.transcript), CATALOG),
    parsed.where,
    [
      {
        group: {
          groupBy: [],
          metrics: [
            { op: 'sum', field: 'input_tokens', as: 'input_tokens' },
            { op: 'sum', field: 'output_tokens', as: 'output_tokens' },
            { op: 'sum', field: 'cache_write_tokens', as: 'cache_creation_input_tokens' },
            { op: 'sum', field: 'cache_read_tokens', as: 'cache_read_input_tokens' },
            { op: 'count', field: undefined, as: 'requests' },
          ],
        },
      },
    ],
    { program: 'seq-record', problems, progress: false, cache: true, tables: false },
  );
  const row = rows[0] ?? {};
  const n = (key: string): number => Number(row[key] ?? 0);
  return {
    usage: {
      input_tokens: n('input_tokens'),
      output_tokens: n('output_tokens'),
      cache_creation_input_tokens: n('cache_creation_input_tokens'),
      cache_read_input_tokens: n('cache_read_input_tokens'),
      requests: n('requests'),
    },
    problems,
  };
}

/**
 * Runs the hook: the session's usage, less what runs have taken of it already, kept beside the
 * store under its lock. A transcript that could not be read whole keeps nothing (exit 1).
 */
export async function runHook(
  text: string,
  storeFlag: string | undefined,
  warn: (message: string) => void,
): Promise<{ path: string | undefined; usage: PendingUsage; used: PendingUsage; problems: InputProblems }> {
  const input = readHookInput(text);
  if (!existsSync(input.cwd)) throw new InputError(`the session's folder ${input.cwd} is not there; nothing was kept`);
  const { usage: used, problems } = await sessionUsage(input, warn);
  if (problems.failed)
    throw new InputError(`the transcript of session ${input.sessionId} could not be read whole; nothing was kept (what was kept before stays)`);
  const store = storePath(storeFlag, input.cwd);
  try {
    makeFolder(dirname(store));
  } catch (error) {
    throw new InputError(`cannot create ${dirname(store)} for the session's token usage: ${errorReason(error)}`);
  }
  const kept = withStoreLock(store, () => keepPending(store, input.sessionId, used));
  return { ...kept, used, problems };
}
