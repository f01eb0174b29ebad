/** Who the agent is, and where it writes its logs, told to people (its source, source.ts, finds them). */
import type { AgentAbout } from '../common/source.js';

export const codexAbout: AgentAbout = {
  name: 'codex',
  title: 'Codex',
  places: {
    logs: '$CODEX_HOME/sessions and archived_sessions (default ~/.codex), ./sessions, ~/.dotfiles/codex/sessions',
    skills: '~/.dotfiles/codex/skills, $CODEX_HOME/skills',
  },
};
