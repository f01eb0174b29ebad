/** Who the agent is, and where it writes its logs, told to people (its source, source.ts, finds them). */
import type { AgentAbout } from '../common/source.js';

export const claudeAbout: AgentAbout = {
  name: 'claude',
  title: 'Claude Code',
  places: {
    logs: '$CLAUDE_CONFIG_DIR/projects, ~/.claude/projects, ~/.config/claude/projects',
    skills: '~/.claude/skills',
  },
};
