/**
 * Writes sample agent sessions, deterministically, in the layouts the agents use on disk:
 * Codex CLI rollouts under `codex/sessions/YYYY/MM/DD/` and Claude Code transcripts under
 * `claude/projects/<project>/`, with a subagent file. The same arguments always give the same
 * bytes, so the demo, the docs and the benchmark corpus are reproducible.
 *
 *   npx tsx examples/generate.ts [--out DIR] [--sessions N] [--seed N]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const USAGE = 'usage: npx tsx examples/generate.ts [--out DIR] [--sessions N] [--seed N]';
const OPTIONS = ['--out', '--sessions', '--seed'];

/** The arguments are the options above, each with its value: a script that writes files does not guess. */
function checkArguments(args: string[]): void {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  for (let i = 0; i < args.length; i += 2) {
    if (!OPTIONS.includes(args[i] as string) || args[i + 1] === undefined) {
      process.stderr.write(`generate.ts: "${args[i]}" is not one of ${OPTIONS.join(', ')} with its value\n${USAGE}\n`);
      process.exit(2);
    }
  }
}

checkArguments(process.argv.slice(2));

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

/** A small deterministic generator (mulberry32): the same seed gives the same sessions. */
function randomSource(seed: number): { int(n: number): number; pick<T>(list: readonly T[]): T; chance(p: number): boolean } {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    int: (n) => Math.floor(next() * n),
    pick: (list) => list[Math.floor(next() * list.length)] as (typeof list)[number],
    chance: (p) => next() < p,
  };
}

const PROJECTS = ['billing-api', 'web-dashboard', 'data-pipeline', 'cli-tools'];
const SKILLS = ['tk', 'fix', 'review', 'plan'];
const PROMPTS = [
  'Add pagination to the invoices endpoint and cover it with tests.',
  'The nightly import fails on empty CSV files; find out why and fix it.',
  'Refactor the settings page into smaller components.',
  'Write a migration that adds an index on orders.created_at.',
  'Explain how the retry logic in the HTTP client works.',
];
const SECTIONS = ['Contract', 'Invariants', 'Proof'];
const WORDS = [
  'const',
  'return',
  'value',
  'config',
  'error',
  'request',
  'import',
  'export',
  'function',
  'test',
  'index',
  'data',
  'user',
  'invoice',
  'page',
  'query',
  'result',
  'await',
  'string',
  'number',
];

/**
 * Text of about `bytes` bytes, deterministic: tool outputs, file contents and reasoning are most
 * of a real log's bytes, so the corpus has them at realistic sizes.
 */
function filler(random: ReturnType<typeof randomSource>, bytes: number): string {
  const words: string[] = [];
  let length = 0;
  while (length < bytes) {
    const word = random.chance(0.08) ? '\n' : random.pick(WORDS);
    words.push(word);
    length += word.length + 1;
  }
  return words.join(' ');
}

function blob(random: ReturnType<typeof randomSource>, bytes: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let out = 'gAAAAA';
  for (let i = 0; i < bytes; i++) out += alphabet[random.int(64)];
  return out;
}

class Clock {
  constructor(private ms: number) {}
  tick(seconds: number): string {
    this.ms += seconds * 1000;
    return new Date(this.ms).toISOString();
  }
  get now(): number {
    return this.ms;
  }
}

function uuid(random: ReturnType<typeof randomSource>, prefix = ''): string {
  const hex = (n: number): string => Array.from({ length: n }, () => '0123456789abcdef'[random.int(16)]).join('');
  const body = `${hex(8)}-${hex(4)}-7${hex(3)}-${'89ab'[random.int(4)]}${hex(3)}-${hex(12)}`;
  return prefix + body.slice(prefix.length);
}

/**
 * An answer. Under a skill it says so ("Using $tk") and gives most of the skill's sections, as a
 * bold label, a heading or "Label:"; sometimes it names a missing section in passing, which
 * section-audit counts as present by label but not with --match heading.
 */
function answer(random: ReturnType<typeof randomSource>, skill: string | undefined): string {
  const sections = skill ? SECTIONS.filter(() => random.chance(0.8)) : [];
  const body = sections
    .map((s) => {
      const text = random.pick(['done', 'holds', 'checked by the tests']);
      return random.pick([`**${s}:** ${text}.`, `## ${s}\n${text}.`, `${s}: ${text}.`]);
    })
    .join('\n');
  const missing = SECTIONS.find((s) => skill !== undefined && !sections.includes(s));
  const aside = missing !== undefined && random.chance(0.5) ? ` (the ${missing} comes next)` : '';
  const intro = skill ? `Using $${skill}.\n\n` : '';
  return `${intro}${body}${body ? '\n\n' : ''}Finished: ${random.pick(['tests pass', 'the change is in place', 'see the diff'])}${aside}.`;
}

/** One Codex rollout (the envelope format of Codex 0.4x and later). */
function codexSession(random: ReturnType<typeof randomSource>, start: number, index: number): { path: string; lines: Json[] } {
  const clock = new Clock(start);
  const id = uuid(random, '019a');
  const project = random.pick(PROJECTS);
  const cwd = `/home/dev/src/${project}`;
  const model = random.pick(['gpt-5.1-codex', 'gpt-5.3-codex', 'gpt-5-codex']);
  const lines: Json[] = [];
  const at = clock.tick(0);
  const local = at.slice(0, 19).replace(/:/g, '-');
  const path = `codex/sessions/${at.slice(0, 4)}/${at.slice(5, 7)}/${at.slice(8, 10)}/rollout-${local}-${id}.jsonl`;
  lines.push({
    timestamp: at,
    type: 'session_meta',
    payload: { id, timestamp: at, cwd, originator: 'codex_cli_rs', cli_version: '0.58.0', instructions: null, source: 'cli', model_provider: 'openai' },
  });
  const total = { input_tokens: 0, cached_input_tokens: 0, output_tokens: 0, reasoning_output_tokens: 0, total_tokens: 0 };
  const turns = 2 + random.int(3);
  for (let turn = 0; turn < turns; turn++) {
    const skill = random.chance(0.5) ? random.pick(SKILLS) : undefined;
    const mention = skill === undefined ? '' : random.chance(0.5) ? ` Use $${skill}.` : `\n<skill>\n<name>${skill}</name>\n</skill>`;
    const prompt = random.pick(PROMPTS) + mention;
    const t = clock.tick(20 + random.int(60));
    lines.push({
      timestamp: t,
      type: 'turn_context',
      payload: { cwd, approval_policy: 'on-request', sandbox_policy: { mode: 'workspace-write' }, model, effort: 'medium', summary: 'auto' },
    });
    lines.push({ timestamp: t, type: 'response_item', payload: { type: 'message', role: 'user', content: [{ type: 'input_text', text: prompt }] } });
    lines.push({ timestamp: t, type: 'event_msg', payload: { type: 'user_message', message: prompt, images: [] } });
    const calls = 1 + random.int(4);
    for (let c = 0; c < calls; c++) {
      const callId = `call_${index}_${turn}_${c}`;
      const when = clock.tick(3 + random.int(20));
      const summary = `**${random.pick(['Inspecting', 'Planning', 'Checking'])} ${random.pick(WORDS)}**`;
      lines.push({ timestamp: when, type: 'event_msg', payload: { type: 'agent_reasoning', text: summary } });
      lines.push({
        timestamp: when,
        type: 'response_item',
        payload: {
          type: 'reasoning',
          summary: [{ type: 'summary_text', text: summary }],
          content: null,
          encrypted_content: blob(random, 800 + random.int(3000)),
        },
      });
      const kind = random.pick(['shell', 'shell', 'apply_patch', 'update_plan', 'mcp__github__search_issues']);
      if (kind === 'apply_patch') {
        lines.push({
          timestamp: when,
          type: 'response_item',
          payload: {
            type: 'custom_tool_call',
            status: 'completed',
            call_id: callId,
            name: 'apply_patch',
            input: '*** Begin Patch\n*** Update File: src/app.ts\n@@\n-old\n+new\n*** End Patch',
          },
        });
        lines.push({
          timestamp: when,
          type: 'response_item',
          payload: { type: 'custom_tool_call_output', call_id: callId, output: 'Success. Updated the following files:\nM src/app.ts' },
        });
      } else {
        const args =
          kind === 'shell'
            ? { command: ['bash', '-lc', random.pick(['ls', 'npm test', 'git status', 'rg TODO'])], workdir: cwd }
            : { query: 'is:open label:bug' };
        lines.push({
          timestamp: when,
          type: 'response_item',
          payload: { type: 'function_call', name: kind, arguments: JSON.stringify(args), call_id: callId },
        });
        lines.push({
          timestamp: when,
          type: 'response_item',
          payload: {
            type: 'function_call_output',
            call_id: callId,
            output: JSON.stringify({ output: filler(random, 200 + random.int(6000)), metadata: { exit_code: 0, duration_seconds: 0.4 } }),
          },
        });
      }
      // One model request per call: the cumulative counters advance; Codex sometimes repeats the event.
      const input = 6000 + random.int(9000);
      const cached = Math.floor(input * (0.5 + random.int(40) / 100));
      const output = 50 + random.int(900);
      const reasoning = Math.floor((output * random.int(60)) / 100);
      const last = {
        input_tokens: input,
        cached_input_tokens: cached,
        output_tokens: output,
        reasoning_output_tokens: reasoning,
        total_tokens: input + output,
      };
      for (const key of Object.keys(total) as Array<keyof typeof total>) total[key] += last[key];
      const event: Json = {
        timestamp: clock.tick(1),
        type: 'event_msg',
        payload: { type: 'token_count', info: { total_token_usage: { ...total }, last_token_usage: last, model_context_window: 272000 }, rate_limits: null },
      };
      lines.push(event);
      if (random.chance(0.3)) lines.push({ ...(event as { [key: string]: Json }), timestamp: clock.tick(1) });
    }
    const text = answer(random, skill);
    const done = clock.tick(5);
    lines.push({ timestamp: done, type: 'event_msg', payload: { type: 'agent_message', message: text } });
    lines.push({ timestamp: done, type: 'response_item', payload: { type: 'message', role: 'assistant', content: [{ type: 'output_text', text }] } });
  }
  return { path, lines };
}

interface ClaudeFile {
  path: string;
  lines: Json[];
}

/** One Claude Code session: a transcript, and a subagent transcript in the 2.1 layout. */
function claudeSession(random: ReturnType<typeof randomSource>, start: number, index: number): ClaudeFile[] {
  const clock = new Clock(start);
  const sessionId = uuid(random);
  const project = random.pick(PROJECTS);
  const cwd = `/home/dev/src/${project}`;
  const folder = `claude/projects/-home-dev-src-${project}`;
  const version = '2.1.17';
  const envelope = (extra: { [key: string]: Json }, parent: string | null, sidechain = false): { [key: string]: Json } => ({
    parentUuid: parent,
    isSidechain: sidechain,
    userType: 'external',
    cwd,
    sessionId,
    version,
    gitBranch: 'main',
    ...extra,
    uuid: uuid(random),
    timestamp: clock.tick(1 + random.int(4)),
  });
  const lines: Json[] = [];
  const files: ClaudeFile[] = [{ path: `${folder}/${sessionId}.jsonl`, lines }];
  let parent: string | null = null;
  const push = (line: { [key: string]: Json }, into: Json[] = lines): void => {
    into.push(line);
    parent = line.uuid as string;
  };
  const model = random.pick(['claude-sonnet-4-5-20250929', 'claude-opus-4-6']);
  let request = 0;
  /** One API response written as one line per content block, the usage repeated on each. */
  const respond = (blocks: Json[], into: Json[] = lines, sidechain = false, agentModel = model): void => {
    const id = `msg_${index}_${request}`;
    const requestId = `req_${index}_${request++}`;
    const usage = {
      input_tokens: 3 + random.int(40),
      cache_creation_input_tokens: random.int(3000),
      cache_read_input_tokens: 10000 + random.int(30000),
      output_tokens: 20 + random.int(600),
      service_tier: 'standard',
    };
    blocks.forEach((block, i) => {
      const final = i === blocks.length - 1;
      push(
        envelope(
          {
            message: {
              model: agentModel,
              id,
              type: 'message',
              role: 'assistant',
              content: [block],
              stop_reason: final ? 'end_turn' : null,
              stop_sequence: null,
              usage: { ...usage, output_tokens: final ? usage.output_tokens : 2 },
            },
            requestId,
            type: 'assistant',
          },
          parent,
          sidechain,
        ),
        into,
      );
    });
  };
  const turns = 2 + random.int(3);
  for (let turn = 0; turn < turns; turn++) {
    if (random.chance(0.3)) {
      const command = random.pick(SKILLS);
      push(
        envelope(
          {
            type: 'user',
            message: { role: 'user', content: `<command-message>${command} is running…</command-message>\n<command-name>/${command}</command-name>` },
          },
          parent,
        ),
      );
      push(
        envelope(
          { type: 'user', isMeta: true, message: { role: 'user', content: [{ type: 'text', text: `Run the ${command} workflow on the current change.` }] } },
          parent,
        ),
      );
    } else {
      push(envelope({ type: 'user', message: { role: 'user', content: random.pick(PROMPTS) } }, parent));
    }
    const tools = 1 + random.int(3);
    for (let t = 0; t < tools; t++) {
      const toolId = `toolu_${index}_${turn}_${t}`;
      const name = random.pick(['Bash', 'Read', 'Edit', 'Grep', 'Skill', 'mcp__linear__create_issue']);
      const input: Json =
        name === 'Skill'
          ? { skill: random.pick(SKILLS) }
          : name === 'Bash'
            ? { command: 'npm test', description: 'Run the tests' }
            : { file_path: `${cwd}/src/index.ts` };
      respond([
        { type: 'thinking', thinking: filler(random, 100 + random.int(1500)), signature: blob(random, 300) },
        { type: 'tool_use', id: toolId, name, input },
      ]);
      const result = name === 'Skill' ? `Launching skill: ${(input as { skill: string }).skill}` : filler(random, 300 + random.int(8000));
      push(envelope({ type: 'user', message: { role: 'user', content: [{ tool_use_id: toolId, type: 'tool_result', content: result }] } }, parent));
    }
    if (turn === 0 && index % 2 === 0) {
      // A subagent: its transcript lives beside the session and carries the parent's sessionId.
      const agentId = `a${index}${random.int(1e6).toString(16)}`;
      const agentLines: Json[] = [];
      const taskId = `toolu_${index}_task`;
      respond([
        { type: 'tool_use', id: taskId, name: 'Task', input: { subagent_type: 'Explore', description: 'Survey the code', prompt: 'List the main modules.' } },
      ]);
      const saved: string | null = parent;
      parent = null;
      push(envelope({ agentId, type: 'user', message: { role: 'user', content: 'List the main modules.' } }, null, true), agentLines);
      respond([{ type: 'text', text: 'The main modules are api, db and web.' }], agentLines, true, 'claude-haiku-4-5-20251001');
      parent = saved;
      push(
        envelope(
          {
            type: 'user',
            message: { role: 'user', content: [{ tool_use_id: taskId, type: 'tool_result', content: 'The main modules are api, db and web.' }] },
          },
          parent,
        ),
      );
      files.push({ path: `${folder}/${sessionId}/subagents/agent-${agentId}.jsonl`, lines: agentLines });
    }
    respond([{ type: 'text', text: answer(random, random.chance(0.5) ? 'tk' : undefined) }]);
  }
  lines.push({ type: 'summary', summary: `Work on ${project}`, leafUuid: parent });
  return files;
}

/**
 * A fork of a Codex session, as Codex writes one: the child's header (forked_from_id), then the
 * parent's header and history replayed, then the child's own turn from its task_started on.
 */
function codexFork(
  random: ReturnType<typeof randomSource>,
  parent: { path: string; lines: Json[] },
  start: number,
  index: number,
): { path: string; lines: Json[] } {
  const own = codexSession(random, start, index);
  const header = own.lines[0] as { timestamp: string; payload: { [key: string]: Json } };
  const parentId = (parent.lines[0] as { payload: { id: string } }).payload.id;
  const childHeader: Json = { ...header, payload: { ...header.payload, forked_from_id: parentId } };
  const started: Json = {
    timestamp: header.timestamp,
    type: 'event_msg',
    payload: { type: 'task_started', turn_id: `turn_${index}`, model_context_window: 272000 },
  };
  return { path: own.path, lines: [childHeader, ...parent.lines, started, ...own.lines.slice(1)] };
}

function main(): void {
  const out = resolve(option('out', join(import.meta.dirname, 'sessions')));
  const sessions = Number(option('sessions', '4'));
  const random = randomSource(Number(option('seed', '20261102')));
  const base = Date.UTC(2026, 10, 2, 8, 0, 0);
  // Each session is written as soon as it is made, so a corpus of any size fits in memory.
  let written = 0;
  const write = (file: ClaudeFile): void => {
    const path = join(out, file.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.path.endsWith('.md') ? `# ${basename(dirname(path))}\n` : `${file.lines.map((line) => JSON.stringify(line)).join('\n')}\n`);
    if (file.path.endsWith('.jsonl')) written++;
  };
  // A session every 26 hours; a large corpus packs them into a year, as a heavy user's history
  // does (several a day), rather than spreading them over decades of one-session days.
  const spacing = Math.min(26 * 3600_000, Math.floor((365 * 86_400_000) / sessions));
  for (let i = 0; i < sessions; i++) {
    const start = base + i * spacing + random.int(3600) * 1000;
    const codex = codexSession(random, start, i);
    write(codex);
    for (const file of claudeSession(random, start + 1800_000, i)) write(file);
    if (i === 1) write(codexFork(random, codex, start + 3600_000, sessions + i));
  }
  // The skills the sessions name, as folders: a skill is known when its folder exists.
  for (const skill of SKILLS) write({ path: `skills/${skill}/SKILL.md`, lines: [] });
  console.log(`wrote ${written} session files and ${SKILLS.length} skills to ${out}`);
}

main();
