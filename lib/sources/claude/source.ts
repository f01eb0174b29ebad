/**
 * Claude Code: transcripts under $CLAUDE_CONFIG_DIR/projects (a comma-separated list is
 * allowed), ~/.claude/projects and ~/.config/claude/projects, one JSON Lines file per session,
 * with subagents' files beside their parent's.
 */
import { join } from 'node:path';
import { listEnv } from '../common/environment.js';
import format from './format.json' with { type: 'json' };
import { type AgentSource, UUID_START } from '../common/source.js';
import { CLAUDE_COMMANDS } from './commands.js';
import { ClaudeReader, type ClaudeState } from './reader.js';
import { claudeAbout } from './about.js';

const LINE_TYPES = new Set([
  'summary',
  'queue-operation',
  'file-history-snapshot',
  'user',
  'assistant',
  'system',
  'progress',
  'attachment',
  'permission-mode',
  'last-prompt',
  'custom-title',
  'ai-title',
]);
const SESSION_KEYS = ['sessionId', 'parentUuid', 'leafUuid'];

export const claudeSource: AgentSource = {
  ...claudeAbout,
  readerFormat: format.format,
  sessionIdShape: UUID_START,
  defaultRoots: (home) => [
    ...listEnv('CLAUDE_CONFIG_DIR').map((dir) => join(dir, 'projects')),
    join(home, '.claude', 'projects'),
    join(home, '.config', 'claude', 'projects'),
  ],
  skillDirs: (home) => [join(home, '.claude', 'skills')],
  harnessText: (text) => text.startsWith('<local-command-stdout>'),
  ownCommands: CLAUDE_COMMANDS,
  recognise(record) {
    if (SESSION_KEYS.some((key) => Object.hasOwn(record, key))) return 'surely';
    return typeof record.type === 'string' && LINE_TYPES.has(record.type) ? 'surely' : false;
  },
  reader: (_path, sink, needs, state, decode) => new ClaudeReader(sink, needs, state as ClaudeState | undefined, decode),
};
