/** Who the agent is, and where it writes its logs, told to people (its source, source.ts, finds them). */
import type { AgentAbout } from '../common/source.js';

export const opencodeAbout: AgentAbout = {
  name: 'opencode',
  title: 'OpenCode',
  places: {
    logs: '$OPENCODE_DB, $XDG_DATA_HOME/opencode, $OPENCODE_DATA_DIR, ~/.local/share/opencode (opencode*.db and storage/)',
  },
};
