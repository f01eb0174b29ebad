/** The agents whose logs seq reads, one line each; a file's agent is found from its content, in this order. */
import { ampSource } from './amp/source.js';
import { claudeSource } from './claude/source.js';
import { codexSource } from './codex/source.js';
import { copilotSource } from './copilot/source.js';
import { geminiSource } from './gemini/source.js';
import { opencodeSource } from './opencode/source.js';
import { qwenSource } from './qwen/source.js';
import type { AgentSource } from './common/source.js';

// Claude Code last: its lines are told by keys (sessionId, parentUuid) that other agents' records have too.
export const AGENTS: readonly AgentSource[] = [codexSource, geminiSource, qwenSource, copilotSource, opencodeSource, ampSource, claudeSource];

export function findAgent(name: string): AgentSource | undefined {
  return AGENTS.find((agent) => agent.name === name);
}

/** The variables that change how the agents' files are read, and their values here (AgentSource.readingEnv). */
export function readingEnvironment(): Array<[string, string | null]> {
  return AGENTS.flatMap((agent) => agent.readingEnv ?? []).map((name) => [name, process.env[name] ?? null]);
}
