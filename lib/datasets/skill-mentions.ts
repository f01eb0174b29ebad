/**
 * Skill mentions. In any agent's messages: every `<name>X</name>` of a message holding a
 * `<skill>` block, and `$name` tokens of known skills. Claude Code's also: the `Skill` tool's
 * skill, and slash commands the user typed (other than Claude Code's own commands). `types` says
 * which.
 */
import { readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { errorReason, InputError } from '../base/errors.js';
import type { JsonValue } from '../jsonl/json.js';
import { MessageFilter, ROLES_PARAM } from './messages.js';
import { flag, sessionDataset } from './session-dataset.js';
import { AGENTS } from '../sources/registry.js';
import { codePointPrefix } from '../base/code-points.js';

/** Where skills live when no --skills-dir is given: a skill is known if it is a folder there. */
export function defaultSkillDirs(home = homedir()): string[] {
  return AGENTS.flatMap((agent) => agent.skillDirs?.(home) ?? []);
}

/**
 * The skills in these folders. A default place may not exist (an agent not installed); a folder
 * the user named must (a typo would change the answer unseen).
 */
export function knownSkills(dirs: string[], given = false): Set<string> {
  const skills = new Set<string>();
  for (const dir of dirs) {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch (error) {
      if (given) throw new InputError(`cannot read the skills folder ${dir}: ${errorReason(error)}`);
      continue;
    }
    for (const name of names) {
      try {
        if (statSync(join(dir, name)).isDirectory()) skills.add(name);
      } catch {
        // a broken link: not a skill
      }
    }
  }
  return skills;
}

// The agents' own slash commands: typing them is not using a skill.
const OWN_COMMANDS = new Set(AGENTS.flatMap((agent) => [...(agent.ownCommands ?? [])]));

const BLOCK_NAME = /<name>([^<]+)<\/name>/g;
const DOLLAR = /\$([a-z][a-z0-9-]*)/g;

export interface MentionOptions {
  blocks: boolean;
  dollars: boolean;
  skipDollarInBlock: boolean;
}

/** The skills a message mentions, in order, each with how: block, dollar, or both. */
export function mentionsIn(text: string, known: Set<string>, options: MentionOptions): Map<string, Set<string>> {
  const found = new Map<string, Set<string>>();
  const add = (skill: string, type: string): void => {
    const types = found.get(skill) ?? new Set<string>();
    types.add(type);
    found.set(skill, types);
  };
  // A block is a name inside a message with <skill>; a message with a block (when blocks count) gives no $ mentions.
  let blocks = 0;
  if (options.blocks && text.includes('<skill>')) {
    for (const match of text.matchAll(BLOCK_NAME)) {
      const name = (match[1] as string).trim();
      if (name === '') continue;
      add(name, 'block');
      blocks++;
    }
  }
  if (options.dollars && !(options.skipDollarInBlock && blocks > 0)) {
    for (const match of text.matchAll(DOLLAR)) if (known.has(match[1] as string)) add(match[1] as string, 'dollar');
  }
  return found;
}

function snippet(text: string): string {
  return codePointPrefix(text, 240).replace(/\r?\n/g, ' ');
}

function typesText(types: Set<string>): string {
  return ['block', 'dollar', 'tool', 'command'].filter((t) => types.has(t)).join('+');
}

/** The skills of the folders given (skills_dirs), else of the default places. */
function skillsOf(value: JsonValue | undefined): Set<string> {
  const dirs = Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  return dirs.length > 0 ? knownSkills(dirs, true) : knownSkills(defaultSkillDirs());
}

export const skillMentionsDataset = sessionDataset({
  name: 'skill_mentions',
  description: "One row per skill per message: <skill> blocks and $skill tokens in any agent's messages; Claude's Skill tool calls and slash commands too.",
  fields: [
    { name: 'role', type: 'string', description: 'who mentioned it' },
    { name: 'skill', type: 'string', description: 'the skill' },
    {
      name: 'types',
      type: 'string',
      description: "how: block, dollar, tool (Claude's Skill tool) or command (a slash command), joined by + where a message has several",
    },
    { name: 'snippet', type: 'string', description: 'the first 240 characters of the message, on one line', private: 'text' },
  ],
  // The skills known are the skill folders' subfolders now: the same logs give other rows when they change.
  inputsKey: (params) => JSON.stringify([...skillsOf(params.skills_dirs)].sort()),
  params: [
    { name: 'include_blocks', type: 'boolean', default: true, help: 'count <skill><name>X</name> blocks' },
    { name: 'include_dollars', type: 'boolean', default: true, help: 'count $skill tokens of known skills' },
    { name: 'skip_dollar_in_skill_block', type: 'boolean', default: true, help: 'a message with a <skill> block contributes no $ mentions' },
    { name: 'dedupe_adjacent', type: 'boolean', default: true, help: 'skip X when the previous kept message had X by the other mention type' },
    ROLES_PARAM,
    {
      name: 'skills_dirs',
      type: 'string[]',
      default: [],
      help: "folders whose subfolders are the known skills (--skills-dir); empty: the agents' skills folders (seq-scan --help lists them)",
    },
    { name: 'skills', type: 'string[]', default: [], help: "skill names known besides those folders (a report's --skill is one)" },
  ],
  create(params) {
    const known = skillsOf(params.skills_dirs);
    if (Array.isArray(params.skills)) for (const skill of params.skills) if (typeof skill === 'string') known.add(skill);
    const options: MentionOptions = {
      blocks: flag(params, 'include_blocks'),
      dollars: flag(params, 'include_dollars'),
      skipDollarInBlock: flag(params, 'skip_dollar_in_skill_block'),
    };
    const dedupeAdjacent = flag(params, 'dedupe_adjacent');
    const roles = new Set(Array.isArray(params.roles) ? params.roles : ['user', 'assistant']);
    return {
      needs: { messages: true, toolCalls: true, tokens: false },
      file(context) {
        const filter = new MessageFilter(params.roles ?? null, context.source);
        let previous = new Map<string, Set<string>>();
        return {
          event(event, emit) {
            if (event.kind === 'tool_call') {
              if (event.skill !== undefined && roles.has('assistant')) {
                emit(Object.assign(context.base(event.timestamp), { role: 'assistant', skill: event.skill, types: 'tool', snippet: `Skill: ${event.skill}` }));
              }
              return;
            }
            if (event.kind !== 'message') return;
            const kept = filter.keep(event);
            if (!kept) return;
            const found = mentionsIn(kept.text, known, options);
            if (kept.command !== undefined && !OWN_COMMANDS.has(kept.command)) found.set(kept.command, new Set(['command']));
            for (const [skill, types] of found) {
              const before = previous.get(skill);
              if (dedupeAdjacent && before && [...before].some((t) => !types.has(t))) continue;
              emit(
                Object.assign(context.base(kept.timestamp ?? context.session?.start), {
                  role: kept.role,
                  skill,
                  types: typesText(types),
                  snippet: snippet(kept.text),
                }),
              );
            }
            previous = found;
          },
        };
      },
    };
  },
});
