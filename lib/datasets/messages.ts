/**
 * The messages of a conversation: harness-injected user text dropped, a leading "Echo:" line
 * taken off assistant text, text normalised, and the copies of one message counted once per file
 * (by its id; Codex, which writes each twice with no id in common, by role and text).
 * skill_mentions reads the same.
 */
import { AGENTS, findAgent } from '../sources/registry.js';
import type { JsonValue } from '../jsonl/json.js';
import type { MessageEvent } from '../sources/common/events.js';
import { sectionTests, SECTION_MATCHES, type SectionMatch } from './sections.js';
import { sessionDataset } from './session-dataset.js';
import type { FieldInfo } from './types.js';
import type { ParamInfo } from '../spec/catalog.js';
import { nodeCrypto } from '../base/builtins.js';
import { codePointLength } from '../base/code-points.js';

export const ROLES_PARAM: ParamInfo = {
  name: 'roles',
  type: 'string[]',
  default: ['user', 'assistant'],
  choices: ['user', 'assistant', 'developer', 'system'],
  help: 'roles to keep (user, assistant, developer, system); --roles user,assistant',
};

/** CRLF to LF, trailing spaces off every line, blank edges off the whole. */
export function normalizeText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .trim();
}

const HARNESS_TESTS = AGENTS.flatMap((agent) => (agent.harnessText === undefined ? [] : [agent.harnessText]));

/** Text an agent's harness wrote into the user's turn (instructions, environment), not the user. */
export function isHarnessText(text: string): boolean {
  return HARNESS_TESTS.some((test) => test(text));
}

export interface KeptMessage {
  role: string;
  text: string;
  timestamp: string | undefined;
  command: string | undefined;
}

/** Keeps one file's messages by the rules above; `roles` filters after normalising. */
export class MessageFilter {
  private readonly seen = new Set<string>();
  private readonly roles: Set<string>;
  /** Whether the file's agent writes a message twice with no id in common (AgentSource.messageCopiesByText). */
  private readonly byText: boolean;

  constructor(roles: JsonValue, source: string) {
    this.roles = new Set(Array.isArray(roles) ? roles.filter((r): r is string => typeof r === 'string') : ['user', 'assistant']);
    this.byText = findAgent(source)?.messageCopiesByText === true;
  }

  keep(event: MessageEvent): KeptMessage | undefined {
    if (!this.roles.has(event.role)) return undefined;
    let text = normalizeText(event.text);
    if (event.role === 'assistant' && text.startsWith('Echo:')) {
      const newline = text.indexOf('\n');
      text = newline < 0 ? '' : text.slice(newline + 1).trim();
    }
    if (text === '') return undefined;
    if (event.role === 'user' && isHarnessText(text)) return undefined;
    // A digest, not the text: a file's messages would otherwise all stay in memory.
    const key = this.byText || event.id === undefined ? nodeCrypto().hash('sha1', `${event.role}\u0000${text}`, 'base64') : `#${event.id}`;
    if (this.seen.has(key)) return undefined;
    this.seen.add(key);
    return { role: event.role, text, timestamp: event.timestamp, command: event.command };
  }
}

const MESSAGE_FIELDS: FieldInfo[] = [
  { name: 'role', type: 'string', description: 'user or assistant (or developer, system with --roles)' },
  { name: 'text', type: 'string', description: 'the message, normalised', private: 'text' },
  { name: 'text_len', type: 'integer', description: 'characters in text' },
];
const SECTION_FIELDS: FieldInfo[] = [
  { name: 'has_section_N', type: 'integer', description: 'with the sections param: 1 when the Nth section (from 1) is present, else 0' },
  { name: 'sections_missing', type: 'integer', description: 'with the sections param: how many sections are missing' },
  { name: 'missing_sections', type: 'array', description: 'with the sections param: the labels of the missing sections' },
  { name: 'all_sections', type: 'integer', description: 'with the sections param: 1 when no section is missing, else 0' },
];

function sectionLabels(params: Record<string, JsonValue>): string[] {
  return Array.isArray(params.sections) ? params.sections.filter((s): s is string => typeof s === 'string') : [];
}

export const messagesDataset = sessionDataset({
  name: 'messages',
  description: 'User and assistant messages, normalised: harness text dropped, each message once per file.',
  fields: [...MESSAGE_FIELDS, ...SECTION_FIELDS],
  params: [
    ROLES_PARAM,
    {
      name: 'sections',
      type: 'string[]',
      default: [],
      help: 'section labels to look for in each message (adds has_section_N, sections_missing, missing_sections, all_sections)',
    },
    {
      name: 'section_match',
      type: 'string',
      default: 'label',
      choices: SECTION_MATCHES,
      help: 'label: the label anywhere in the text (the default); heading: only as a Markdown heading, **bold** label or "Label:" at a line start',
    },
    { name: 'sections_ignore_case', type: 'boolean', default: false, help: 'match the section labels in any case' },
  ],
  // The section columns are there with the sections param only: has_section_N once per label.
  rowFields(params) {
    const labels = sectionLabels(params);
    if (labels.length === 0) return MESSAGE_FIELDS;
    const [each, ...rest] = SECTION_FIELDS as [FieldInfo, ...FieldInfo[]];
    return [...MESSAGE_FIELDS, ...labels.map((_, i) => ({ ...each, name: `has_section_${i + 1}` })), ...rest];
  },
  create(params) {
    const labels = sectionLabels(params);
    const tests = sectionTests(labels, params.section_match as SectionMatch, params.sections_ignore_case === true);
    return {
      needs: { messages: true, toolCalls: false, tokens: false },
      file(context) {
        const filter = new MessageFilter(params.roles ?? null, context.source);
        return {
          event(event, emit) {
            if (event.kind !== 'message') return;
            const kept = filter.keep(event);
            if (!kept) return;
            const row = Object.assign(context.base(kept.timestamp ?? context.session?.start), {
              role: kept.role,
              text: kept.text,
              text_len: codePointLength(kept.text),
            });
            if (tests.length > 0) {
              const missing: string[] = [];
              tests.forEach((test, i) => {
                const present = test(kept.text);
                row[`has_section_${i + 1}`] = present ? 1 : 0;
                if (!present) missing.push(labels[i] as string);
              });
              Object.assign(row, { sections_missing: missing.length, missing_sections: missing, all_sections: missing.length === 0 ? 1 : 0 });
            }
            emit(row);
          },
        };
      },
    };
  },
});
