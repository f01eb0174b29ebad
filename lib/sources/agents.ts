/**
 * The agents as help and flags know them: names, titles and places, without their readers, so
 * that a command's declaration loads none of them. registry.ts has the sources themselves, in the
 * same order (a test holds the two lists equal).
 */
import { ampAbout } from './amp/about.js';
import { claudeAbout } from './claude/about.js';
import { codexAbout } from './codex/about.js';
import { copilotAbout } from './copilot/about.js';
import type { AgentAbout } from './common/source.js';
import { geminiAbout } from './gemini/about.js';
import { opencodeAbout } from './opencode/about.js';
import { qwenAbout } from './qwen/about.js';

export const AGENTS_ABOUT: readonly AgentAbout[] = [codexAbout, geminiAbout, qwenAbout, copilotAbout, opencodeAbout, ampAbout, claudeAbout];

/** The agents' names, as --source takes them. */
export const AGENT_NAMES: readonly string[] = AGENTS_ABOUT.map((agent) => agent.name);

/** Each agent's default places of its logs or of its skills, for help: "Codex: ...; Claude Code: ...". */
export function placesHelp(kind: 'logs' | 'skills'): string {
  return AGENTS_ABOUT.flatMap((agent) => (agent.places[kind] === undefined ? [] : [`${agent.title}: ${agent.places[kind]}`])).join('; ');
}
